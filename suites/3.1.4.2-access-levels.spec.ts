// [MS-CMRP] 3.1.4.2 (and 3.1.4.1, 3.1.1): access levels and the protocol server state, seen through a method that changes the cluster
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.2-access-levels');
