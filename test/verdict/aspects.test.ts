// The table behind "one bug, one clause": which catalogue clauses are about which part of an indication,
// and which clause governs each part. It is read from catalogue titles, so a renamed title shows here.
import { loadCatalogue } from '../../harness/catalogue/load';
import { EXPIRED_TIMER, governor, isAbout, isAboutStatus, malformedFilter, releaseClause } from '../../harness/verdict/aspects';
import { CLUSTER_CHANGE as C } from '../../cmrp/constants';

const catalogue = loadCatalogue();
const byTitle = (section: string, title: string): string => {
  const clause = catalogue.find((c) => c.section === section && c.title === title);
  if (!clause) throw new Error(`no ${section} "${title}"`);
  return clause.id;
};

describe.each([2, 3] as const)('protocol version %s', (version) => {
  it('every governor is a catalogue clause about its own aspect', () => {
    for (const aspect of ['dwNotifyKey', 'Name', 'dwStateSequence', 'order'] as const) {
      expect(isAbout(governor(aspect, version), aspect)).toBe(true);
    }
    for (const value of [0, C.GROUP_STATE | C.GROUP_PROPERTY, C.REGISTRY_NAME | C.REGISTRY_SUBTREE, C.HANDLE_CLOSE]) {
      expect(isAbout(malformedFilter(value, version)!.clause, 'dwFilter')).toBe(true);
    }
    expect(catalogue.some((c) => c.id === releaseClause(version))).toBe(true);
  });

  it('a single defined value is no malformed dwFilter; CLUSTER_RECONNECT is forbidden in version 2 only', () => {
    expect(malformedFilter(C.GROUP_STATE, version)).toBeUndefined();
    expect(malformedFilter(C.CLUSTER_RECONNECT, version) === undefined).toBe(version === 3);
  });
});

it('classifies the clauses a read checks by what they are about', () => {
  expect(isAbout(byTitle('3.1.4.2.60', "dwNotifyKey returned with the group's events"), 'dwNotifyKey')).toBe(true);
  expect(isAbout(byTitle('3.1.1.8', 'context value comes back with matching indications'), 'dwNotifyKey')).toBe(true);
  expect(isAbout(byTitle('3.1.4.2.13', 'state sequence incremented on each transition'), 'dwStateSequence')).toBe(true);
  expect(isAbout(byTitle('3.1.1.8', 'port is a FIFO queue'), 'order')).toBe(true);
  expect(isAbout(byTitle('2.2.2.7', 'one CLUSTER_CHANGE value per indication'), 'dwFilter')).toBe(true);
  // The clauses of an event's arrival are about none of its fields.
  for (const [section, title] of [
    ['3.1.4.2.60', 'events only for the designated group'],
    ['3.1.4.2.60', 'one event per matching filter'],
    ['2.2.2.7', 'NODE_STATE reports a node state change'],
    ['3.1.4.2.13', 'current state is a listed State value'],
  ]) {
    for (const aspect of ['dwNotifyKey', 'Name', 'dwStateSequence', 'order'] as const) expect(isAbout(byTitle(section, title), aspect)).toBe(false);
  }
  expect(isAboutStatus(byTitle('3.1.4.2.57', 'ERROR_SUCCESS on success'))).toBe(true);
  expect(isAboutStatus(byTitle('3.1.4.2.57', 'handle set to NULL on success'))).toBe(false);
  expect(EXPIRED_TIMER).toBe(byTitle('3.1.4.1.66', 'expired Timeout gives WAIT_TIMEOUT'));
});
