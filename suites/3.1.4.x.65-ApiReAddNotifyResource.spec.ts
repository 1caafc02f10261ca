// [MS-CMRP] 3.1.4.1.65 (protocol version 2) and 3.1.4.2.65 (version 3): ApiReAddNotifyResource (Opnum 64)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.65-ApiReAddNotifyResource');
