// Every suite declaration, in one module: what the suite environment loads once per Jest worker.
export { sequenceSuite } from './sequences';
export { propertySuite } from './properties';
export { transportSuite } from './transport-suite';
