// [MS-CMRP] 3.2.4: Message Processing Events and Sequencing Rules
import { sequenceSuite } from '../harness/suite/sequences';

sequenceSuite('3.2.4-sequencing-rules');
