// [MS-CMRP] 3.1.4.1.83 (protocol version 2) and 3.1.4.2.83 (version 3): ApiGetNetworkState (Opnum 83)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.83-ApiGetNetworkState');
