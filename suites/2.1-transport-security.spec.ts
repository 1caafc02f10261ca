// [MS-CMRP] 2.1 (Transport) and 3.1.3 (Initialization): the interface on the wire, the authentication
// levels a version 3.0 server refuses, SPNEGO(NTLM) and NTLM accepted at the levels clients use, and
// an unknown account or a wrong password refused. The checks and their clause ids are in
// harness/suite/transport-security.ts; against anything but a dcerpc: target (with credentials, for the
// authentication checks) they are NOT-TESTED with the reason.
import { transportSuite } from '../harness/suite/host';

transportSuite();
