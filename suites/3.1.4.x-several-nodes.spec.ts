// [MS-CMRP] 3.1.1, 3.1.4.1, 3.1.4.2: several active nodes of one cluster
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x-several-nodes');
