// [MS-CMRP] 3.1.4.1.59 (protocol version 2) and 3.1.4.2.59 (version 3): ApiAddNotifyNode (Opnum 58)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.59-ApiAddNotifyNode');
