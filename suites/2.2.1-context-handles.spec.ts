// [MS-CMRP] 2.2.1-context-handles: checks that only a binding with an RPC runtime (dcerpc:) can make
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('2.2.1-context-handles');
