// [MS-CMRP] 3.1.4.1 and 3.1.4.2: what a node no longer active because its computer is shutting down answers a change
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x-node-shutdown');
