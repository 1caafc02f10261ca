// [MS-CMRP] 3.1.4.1.43 (protocol version 2) and 3.1.4.2.43 (version 3): ApiCreateGroup (Opnum 42)
import { sequenceSuite } from '../harness/suite/sequences';

sequenceSuite('3.1.4.x.43-ApiCreateGroup');
