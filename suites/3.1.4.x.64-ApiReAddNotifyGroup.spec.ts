// [MS-CMRP] 3.1.4.1.64 (protocol version 2) and 3.1.4.2.64 (version 3): ApiReAddNotifyGroup (Opnum 63)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.64-ApiReAddNotifyGroup');
