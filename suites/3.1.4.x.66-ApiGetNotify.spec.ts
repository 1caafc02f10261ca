// [MS-CMRP] 3.1.4.1.66 (protocol version 2) and 3.1.4.2.66 (version 3): ApiGetNotify (Opnum 65)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.66-ApiGetNotify');
