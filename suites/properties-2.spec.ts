// The model-based property suite, part 2 of the budget (see harness/suite/properties.ts).
import { propertySuite } from '../harness/suite/host';

propertySuite(2);
