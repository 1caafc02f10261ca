// [MS-CMRP] 3.1.4.2.136 (protocol version 3 only): ApiCreateNotifyV2 (Opnum 137)
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.2.136-ApiCreateNotifyV2');
