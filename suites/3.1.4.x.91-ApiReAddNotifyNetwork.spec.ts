// [MS-CMRP] 3.1.4.1.91 (protocol version 2) and 3.1.4.2.91 (version 3): ApiReAddNotifyNetwork (Opnum 91)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.91-ApiReAddNotifyNetwork');
