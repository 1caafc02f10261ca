// [MS-CMRP] 3.1.4.1.58 (protocol version 2) and 3.1.4.2.58 (version 3): ApiAddNotifyCluster (Opnum 57)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.58-ApiAddNotifyCluster');
