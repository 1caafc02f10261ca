// [MS-CMRP] 3.1.4.1.62 (protocol version 2) and 3.1.4.2.62 (version 3): ApiAddNotifyKey (Opnum 61)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.62-ApiAddNotifyKey');
