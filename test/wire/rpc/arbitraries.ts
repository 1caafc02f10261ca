// fast-check generators for connection-oriented PDUs, shared by the round-trip and fuzz tests.
import fc from 'fast-check';
import { PFC, type SyntaxId } from '../../../wire/rpc/constants';
import type { Pdu } from '../../../wire/rpc/pdu';
import type { AuthVerifierSpec } from '../../../wire/rpc/sec-trailer';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const hex = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString('hex'));

export const uuidArb = fc.tuple(hex(4), hex(2), hex(2), hex(2), hex(6)).map((p) => p.join('-'));
export const syntaxArb: fc.Arbitrary<SyntaxId> = fc.record({ uuid: uuidArb, major: u16, minor: u16 });
const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => Buffer.from(b));
/** Flags without OBJECT_UUID, which changes a request's layout and is generated on its own. */
const flags = u8.map((f) => f & ~PFC.OBJECT_UUID);

const authArb: fc.Arbitrary<AuthVerifierSpec | undefined> = fc.option(
  fc.record({ authType: u8, authLevel: u8, authContextId: u32, authValue: bytes(40).filter((b) => b.length > 0), alignTo: fc.constantFrom(4, 16) }),
  { nil: undefined },
);

function withCommon<T extends object>(body: fc.Arbitrary<T>): fc.Arbitrary<T & { callId: number; flags: number; auth?: AuthVerifierSpec }> {
  return fc.tuple(body, u32, flags, authArb).map(([b, callId, f, auth]) => ({ ...b, callId, flags: f, ...(auth ? { auth } : {}) }));
}

const contextArb = fc.record({ contextId: u16, abstractSyntax: syntaxArb, transferSyntaxes: fc.array(syntaxArb, { maxLength: 3 }) });
const resultArb = fc.record({ result: u16, reason: u16, transferSyntax: syntaxArb });

export const pduArb: fc.Arbitrary<Pdu> = fc.oneof(
  withCommon(
    fc.record({ type: fc.constantFrom('bind' as const, 'alter_context' as const), maxXmitFrag: u16, maxRecvFrag: u16, assocGroupId: u32, contexts: fc.array(contextArb, { maxLength: 4 }) }),
  ),
  withCommon(
    fc.record({
      type: fc.constantFrom('bind_ack' as const, 'alter_context_resp' as const),
      maxXmitFrag: u16,
      maxRecvFrag: u16,
      assocGroupId: u32,
      secondaryAddress: fc.stringMatching(/^[0-9]{0,5}$/),
      results: fc.array(resultArb, { maxLength: 4 }),
    }),
  ),
  withCommon(fc.record({ type: fc.constant('bind_nak' as const), rejectReason: u16, versions: fc.array(fc.record({ major: u8, minor: u8 }), { minLength: 1, maxLength: 3 }) })),
  withCommon(fc.record({ type: fc.constant('request' as const), allocHint: u32, contextId: u16, opnum: u16, stub: bytes(200) })),
  fc
    .tuple(fc.record({ type: fc.constant('request' as const), allocHint: u32, contextId: u16, opnum: u16, object: uuidArb, stub: bytes(64) }), u32, flags)
    .map(([b, callId, f]) => ({ ...b, callId, flags: f | PFC.OBJECT_UUID })),
  withCommon(fc.record({ type: fc.constant('response' as const), allocHint: u32, contextId: u16, cancelCount: u8, stub: bytes(200) })),
  withCommon(fc.record({ type: fc.constant('fault' as const), allocHint: u32, contextId: u16, cancelCount: u8, faultFlags: u8, status: u32, stub: bytes(32) })),
  withCommon(fc.record({ type: fc.constantFrom('auth3' as const, 'shutdown' as const, 'co_cancel' as const, 'orphaned' as const) })),
);

/** What a decoded PDU should equal: the encoded one, with the verifier's pad length filled in. */
export function expectedDecode(pdu: Pdu, padLength: number | undefined): unknown {
  const { auth, ...rest } = pdu as Pdu & { auth?: AuthVerifierSpec };
  if (!auth) return rest;
  return { ...rest, auth: { authType: auth.authType, authLevel: auth.authLevel, authContextId: auth.authContextId, authValue: auth.authValue, authPadLength: padLength } };
}
