// [MS-CMRP] 3.1.4.1.107 (protocol version 2) and 3.1.4.2.107 (version 3): ApiUnblockGetNotifyCall (Opnum 107)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.107-ApiUnblockGetNotifyCall');
