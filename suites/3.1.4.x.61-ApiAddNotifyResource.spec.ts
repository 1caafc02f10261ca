// [MS-CMRP] 3.1.4.1.61 (protocol version 2) and 3.1.4.2.61 (version 3): ApiAddNotifyResource (Opnum 60)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.61-ApiAddNotifyResource');
