// [MS-CMRP] 3.1.4.1 and 3.1.4.2: each node keeps its own protocol server state, seen through a method that changes the cluster on two nodes
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x-node-server-state');
