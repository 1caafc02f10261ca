// [MS-CMRP] 3.1.4.1.59-100 / 3.1.4.2.59-100 (the registrations, ApiAddNotifyKey, Get*State): a handle whose object was deleted meanwhile
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.59-100-other-conditions');
