// [MS-CMRP] 3.1.4.2-rpc-status: checks that only a binding with an RPC runtime (dcerpc:) can make
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.2-rpc-status');
