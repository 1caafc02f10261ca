// [MS-CMRP] 3.1.4.1.13 (protocol version 2) and 3.1.4.2.13 (version 3): ApiGetResourceState (Opnum 12)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.13-ApiGetResourceState');
