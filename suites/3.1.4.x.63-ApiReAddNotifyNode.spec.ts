// [MS-CMRP] 3.1.4.1.63 (protocol version 2) and 3.1.4.2.63 (version 3): ApiReAddNotifyNode (Opnum 62)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.63-ApiReAddNotifyNode');
