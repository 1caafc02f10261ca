// [MS-CMRP] 3.1.4.1.90 (protocol version 2) and 3.1.4.2.90 (version 3): ApiAddNotifyNetwork (Opnum 90)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.90-ApiAddNotifyNetwork');
