// [MS-CMRP] 3.1.4.1: the general rules of protocol version 2
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.1-version-2-rules');
