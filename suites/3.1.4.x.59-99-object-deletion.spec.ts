// [MS-CMRP] 3.1.4.1.59-99 / 3.1.4.2.59-99 (ApiAddNotifyNode, Group, Resource, Network, NetInterface): the designated object deleted
import { sequenceSuite } from '../harness/suite/host';

sequenceSuite('3.1.4.x.59-99-object-deletion');
