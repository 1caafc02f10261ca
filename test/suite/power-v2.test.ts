// The suite's proof of power in protocol version 2 (see power.ts).
import { provePower } from './power';

provePower(2);

