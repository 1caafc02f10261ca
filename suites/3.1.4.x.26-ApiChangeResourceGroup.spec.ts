// [MS-CMRP] 3.1.4.1.26 (protocol version 2) and 3.1.4.2.26 (version 3): ApiChangeResourceGroup (Opnum 25)
import { sequenceSuite } from '../harness/suite/sequences';

sequenceSuite('3.1.4.x.26-ApiChangeResourceGroup');
