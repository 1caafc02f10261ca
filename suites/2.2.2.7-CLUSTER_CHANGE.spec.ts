// [MS-CMRP] 2.2.2.7: CLUSTER_CHANGE
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('2.2.2.7-CLUSTER_CHANGE');
