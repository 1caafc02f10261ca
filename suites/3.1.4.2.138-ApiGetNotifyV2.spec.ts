// [MS-CMRP] 3.1.4.2.138 (protocol version 3 only): ApiGetNotifyV2 (Opnum 139)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.2.138-ApiGetNotifyV2');
