// The NOTIFICATION_DATA_RPC payloads ([MS-CMRP] 3.1.4.2.138) both ends build and read: a DWORD, a
// null-terminated UTF-16 ID, and a PROPERTY_LIST (2.2.3.10), written out by hand here field by field.
import { dwordPayload, propertyListPayload, readDwordPayload, readPropertyList, readStringPayload, stringPayload } from '../../../wire/clusapi/payload';

const hex = (...chunks: string[]) => chunks.join('').replace(/ /g, '');

it('a DWORD is 4 little-endian bytes, and only 4 bytes read as one', () => {
  expect(dwordPayload(0x270f)).toBe('0f270000');
  expect(readDwordPayload('0f270000')).toBe(0x270f);
  expect(readDwordPayload('0f27')).toBeUndefined();
  expect(readDwordPayload(null)).toBeUndefined();
});

it('an ID is a null-terminated UTF-16LE string', () => {
  expect(stringPayload('ab')).toBe('610062000000');
  expect(readStringPayload('610062000000')).toBe('ab');
  expect(readStringPayload('61006200')).toBeUndefined(); // no terminator
});

it('a property list: count, then per property its name, one value and the end mark, each padded to 4 bytes', () => {
  const dword = hex('01000000', '03000400 04000000 44000000', '02000100 04000000 07000000', '00000000');
  expect(propertyListPayload([{ name: 'D', value: 7 }])).toBe(dword);
  // "Ab\0" is 6 bytes: 2 bytes of padding follow; "x\0" is 4 bytes.
  const sz = hex('01000000', '03000400 06000000 41006200 0000 0000', '03000100 04000000 78000000', '00000000');
  expect(propertyListPayload([{ name: 'Ab', value: 'x' }])).toBe(sz);
  expect(readPropertyList(dword)).toEqual([{ name: 'D', value: 7 }]);
  expect(readPropertyList(sz)).toEqual([{ name: 'Ab', value: 'x' }]);
});

it('a buffer that is not a property list is refused, saying where', () => {
  expect(() => readPropertyList('01000000')).toThrow(/ends inside property 0's name syntax at byte 4/);
  expect(() => readPropertyList('0100000002000100')).toThrow(/does not start with CLUSPROP_SYNTAX_NAME/);
  expect(() => readPropertyList(null)).toThrow(/NULL/);
});
