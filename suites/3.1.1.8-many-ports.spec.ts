// [MS-CMRP] 3.1.1.8: Notification Ports, one change reaching many ports
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.1.8-many-ports');
