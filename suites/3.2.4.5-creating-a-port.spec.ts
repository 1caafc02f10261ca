// [MS-CMRP] 3.2.4.5: Creating a notification port (the seed example)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.2.4.5-creating-a-port');
