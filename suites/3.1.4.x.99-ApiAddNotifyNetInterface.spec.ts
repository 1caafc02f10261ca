// [MS-CMRP] 3.1.4.1.99 (protocol version 2) and 3.1.4.2.99 (version 3): ApiAddNotifyNetInterface (Opnum 99)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.99-ApiAddNotifyNetInterface');
