// The suite's proof of fairness in protocol version 3 (see variants.ts).
import { proveFairness } from './variants';

proveFairness(3);
