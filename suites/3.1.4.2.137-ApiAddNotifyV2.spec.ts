// [MS-CMRP] 3.1.4.2.137 (protocol version 3 only): ApiAddNotifyV2 (Opnum 138)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.2.137-ApiAddNotifyV2');
