// [MS-CMRP] 3.2.4.6: Reconnect procedure
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.2.4.6-reconnect');
