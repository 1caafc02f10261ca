// [MS-CMRP] 3.1.4.1.10 (protocol version 2) and 3.1.4.2.10 (version 3): ApiCreateResource (Opnum 9)
import { sequenceSuite } from '../harness/suite/sequences';

sequenceSuite('3.1.4.x.10-ApiCreateResource');
