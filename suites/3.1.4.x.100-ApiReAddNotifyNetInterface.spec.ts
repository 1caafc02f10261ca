// [MS-CMRP] 3.1.4.1.100 (protocol version 2) and 3.1.4.2.100 (version 3): ApiReAddNotifyNetInterface (Opnum 100)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.100-ApiReAddNotifyNetInterface');
