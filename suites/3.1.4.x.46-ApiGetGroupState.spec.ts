// [MS-CMRP] 3.1.4.1.46 (protocol version 2) and 3.1.4.2.46 (version 3): ApiGetGroupState (Opnum 45)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.46-ApiGetGroupState');
