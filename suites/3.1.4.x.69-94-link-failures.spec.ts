// [MS-CMRP] 3.1.4.1.69/.83/.94 and 3.1.4.2.69/.83/.94: node, network and interface states derived from link failures and node activity
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.69-94-link-failures');
