// The suite's proof of fairness in protocol version 2 (see variants.ts).
import { proveFairness } from './variants';

proveFairness(2);
