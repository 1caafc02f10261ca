// [MS-CMRP] 3.1.4.1.60 (protocol version 2) and 3.1.4.2.60 (version 3): ApiAddNotifyGroup (Opnum 59)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.60-ApiAddNotifyGroup');
