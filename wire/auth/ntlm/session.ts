// NTLM session security with extended session security ([MS-NLMP] 3.4): message signatures
// (3.4.4.2) and sealing (3.4.3) for a connection-oriented session. Each direction has its own
// signing key, sealing key, RC4 handle and sequence number, starting at 0 and counting every
// signature made or checked, so both ends must sign and verify PDUs in the same order.
import { timingSafeEqual } from 'node:crypto';
import { Rc4 } from '../crypto/rc4';
import { HmacMd5Key } from '../crypto/hmac-md5';
import { AuthError, malformed } from '../core/errors';
import { u32le } from '../core/bytes';
import { NTLMSSP, hasFlag } from './flags';
import { type Mode, sealKey, signKey } from './keys';

export const SIGNATURE_LENGTH = 16;

interface Direction {
  /** SigningKey, ready to MAC every message of the direction. */
  readonly signKey: HmacMd5Key;
  readonly sealKey: Buffer;
  handle: Rc4;
  seq: number;
}

function direction(flags: number, exportedSessionKey: Buffer, mode: Mode): Direction {
  const seal = sealKey(flags, exportedSessionKey, mode);
  return { signKey: new HmacMd5Key(signKey(exportedSessionKey, mode)), sealKey: seal, handle: new Rc4(seal), seq: 0 };
}

export class NtlmSession {
  private readonly out: Direction;
  private readonly in: Direction;
  private readonly keyExchange: boolean;

  constructor(
    /** NegFlg: the flags both sides settled on. */
    readonly flags: number,
    exportedSessionKey: Buffer,
    /** Which end this is: a client signs with the client keys and checks with the server keys. */
    readonly role: 'client' | 'server',
  ) {
    if (!hasFlag(flags, NTLMSSP.NEGOTIATE_EXTENDED_SESSIONSECURITY)) {
      throw new AuthError('policy', 'NTLM session', 'extended session security was not negotiated');
    }
    const mine: Mode = role === 'client' ? 'Client' : 'Server';
    const theirs: Mode = role === 'client' ? 'Server' : 'Client';
    this.out = direction(flags, exportedSessionKey, mine);
    this.in = direction(flags, exportedSessionKey, theirs);
    this.keyExchange = hasFlag(flags, NTLMSSP.NEGOTIATE_KEY_EXCH);
  }

  /** The next sequence numbers, for diagnostics and tests. */
  get sequence(): { out: number; in: number } {
    return { out: this.out.seq, in: this.in.seq };
  }

  /** Checksum of MAC() in 3.4.4.2: HMAC_MD5(SigningKey, SeqNum || Message)[0..7], RC4'd under key exchange. */
  private checksum(d: Direction, seq: number, message: Buffer): Buffer {
    const c = d.signKey.mac(u32le(seq), message).subarray(0, 8);
    return this.keyExchange ? d.handle.update(c) : Buffer.from(c);
  }

  private mac(d: Direction, message: Buffer): Buffer {
    const sig = Buffer.alloc(SIGNATURE_LENGTH);
    sig.writeUInt32LE(1, 0);
    this.checksum(d, d.seq, message).copy(sig, 4);
    sig.writeUInt32LE(d.seq, 12);
    d.seq = (d.seq + 1) >>> 0;
    return sig;
  }

  /** GSS_GetMIC: the NTLMSSP_MESSAGE_SIGNATURE of an outgoing message. */
  sign(message: Buffer): Buffer {
    return this.mac(this.out, message);
  }

  /**
   * GSS_WrapEx: encrypts messageToEncrypt, then signs messageToSign (the plaintext of everything the
   * signature covers, which for DCE/RPC is the whole PDU with the body in clear). The order matters:
   * the data takes the RC4 key stream before the checksum does ([MS-NLMP] 3.4.3).
   */
  seal(messageToEncrypt: Buffer, messageToSign: Buffer): { sealed: Buffer; signature: Buffer } {
    const sealed = this.out.handle.update(messageToEncrypt);
    return { sealed, signature: this.mac(this.out, messageToSign) };
  }

  /** GSS_VerifyMIC: checks an incoming signature; throws AuthError on a bad checksum or sequence. */
  verify(message: Buffer, signature: Buffer, where = 'NTLM message signature'): void {
    if (signature.length !== SIGNATURE_LENGTH) throw malformed(where, `signature is ${signature.length} bytes, expected ${SIGNATURE_LENGTH}`);
    const version = signature.readUInt32LE(0);
    if (version !== 1) throw malformed(where, `signature Version is ${version}, expected 1`);
    const seq = signature.readUInt32LE(12);
    const expected = this.checksum(this.in, this.in.seq, message);
    if (!timingSafeEqual(expected, signature.subarray(4, 12))) {
      throw new AuthError('bad-signature', where, 'checksum does not match the message');
    }
    // The checksum covers the expected SeqNum, so a replayed or reordered PDU fails above; this
    // check names the case when only the clear SeqNum field was changed.
    if (seq !== this.in.seq) throw new AuthError('out-of-sequence', where, `SeqNum is ${seq}, expected ${this.in.seq}`);
    this.in.seq = (this.in.seq + 1) >>> 0;
  }

  /**
   * GSS_UnwrapEx: decrypts, rebuilds the signed message from the plaintext (for DCE/RPC the whole
   * PDU with the body in clear) and checks the signature. Returns the plaintext.
   */
  unseal(sealed: Buffer, signature: Buffer, messageToVerify: (plain: Buffer) => Buffer, where = 'NTLM sealed message'): Buffer {
    const plain = this.in.handle.update(sealed);
    this.verify(messageToVerify(plain), signature, where);
    return plain;
  }

  /**
   * Runs fn and then puts the RC4 handle of one direction back as it was: [MS-SPNG] 3.2.5.1 and
   * 3.3.5.1 make the mechListMIC and the first application message use the same key state. The
   * sequence number moves on as MAC() says.
   */
  withRestoredHandle<T>(which: 'out' | 'in', fn: () => T): T {
    const d = which === 'out' ? this.out : this.in;
    const original = d.handle.clone();
    try {
      return fn();
    } finally {
      d.handle = original;
    }
  }
}
