// [MS-CMRP] 3.1.4.1.57 (protocol version 2) and 3.1.4.2.57 (version 3): ApiCloseNotify (Opnum 56)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.57-ApiCloseNotify');
