import { CLUSTER_CHANGE, clusterChangeName, parseFilter, statusName } from '../cmrp/constants';

describe('spec constants', () => {
  it('parses filter expressions the way vectors write them', () => {
    expect(parseFilter('GROUP_STATE|CLUSTER_CHANGE_GROUP_DELETED')).toBe(CLUSTER_CHANGE.GROUP_STATE | CLUSTER_CHANGE.GROUP_DELETED);
    expect(parseFilter('HANDLE_CLOSE')).toBe(0x80000000);
    expect(() => parseFilter('GROUP_STAT')).toThrow(/unknown CLUSTER_CHANGE value 'GROUP_STAT'/);
  });
  it('names values and statuses', () => {
    expect(clusterChangeName(0x00100000)).toBe('NETWORK_STATE');
    expect(clusterChangeName(0x3)).toBe('0x3');
    expect(statusName(6)).toBe('ERROR_INVALID_HANDLE (0x6)');
    expect(statusName(0x102)).toBe('WAIT_TIMEOUT (0x102)');
  });
});
