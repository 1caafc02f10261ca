// The suite's proof of power in protocol version 3 (see power.ts).
import { checkClaims, provePower } from './power';

provePower(3);
checkClaims();
