// [MS-CMRP] 2.1, 3.1.3: the cluster security descriptor decides who may call
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.3-cluster-security');
