// [MS-CMRP] 3.1.4.1.56 (protocol version 2) and 3.1.4.2.56 (version 3): ApiCreateNotify (Opnum 55)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.56-ApiCreateNotify');
