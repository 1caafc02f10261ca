// [MS-CMRP] 3.1.4.1.69 (protocol version 2) and 3.1.4.2.69 (version 3): ApiGetNodeState (Opnum 68)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.69-ApiGetNodeState');
