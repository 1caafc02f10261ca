// [MS-CMRP] 3.1.4.1.94 (protocol version 2) and 3.1.4.2.94 (version 3): ApiGetNetInterfaceState (Opnum 94)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.94-ApiGetNetInterfaceState');
