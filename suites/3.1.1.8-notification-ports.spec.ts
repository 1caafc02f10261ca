// [MS-CMRP] 3.1.1.8: Notification Ports
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.1.8-notification-ports');
