// Cuts a TCP byte stream into PDUs by their frag_length (C706 12.6.4). A header that breaks the
// protocol, or a fragment longer than the negotiated maximum, is an error: the stream can no longer be
// trusted to be in step, so the connection ends. Memory is bounded by one fragment (64 KiB at most).
import { HEADER_SIZE, MAX_FRAG_LIMIT, ptypeName } from './constants';
import { RpcProtocolError } from './errors';
import { decodeHeader, headerProblem } from './pdu';

export interface FramerSink {
  pdu(bytes: Buffer): void;
  error(error: RpcProtocolError): void;
}

export class PduFramer {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private failed = false;
  /** The largest fragment accepted; raised or lowered as bind negotiation settles it. */
  maxFrag: number;

  constructor(
    private readonly sink: FramerSink,
    maxFrag = MAX_FRAG_LIMIT,
  ) {
    this.maxFrag = maxFrag;
  }

  push(chunk: Buffer): void {
    if (this.failed) return;
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    while (!this.failed && this.pendingLength >= HEADER_SIZE) {
      const head = this.peek(HEADER_SIZE);
      const header = decodeHeader(head);
      const problem = headerProblem(header);
      if (problem) return this.fail(`${ptypeName(header.ptype)} PDU: ${problem}`);
      if (header.fragLength > this.maxFrag) {
        return this.fail(`${ptypeName(header.ptype)} PDU: frag_length ${header.fragLength} exceeds the negotiated maximum of ${this.maxFrag}`);
      }
      if (this.pendingLength < header.fragLength) return;
      this.sink.pdu(this.take(header.fragLength));
    }
  }

  /** Bytes received but not yet a whole PDU: a peer that closes with some left cut a PDU short. */
  get buffered(): number {
    return this.pendingLength;
  }

  private fail(message: string): void {
    this.failed = true;
    this.pending = [];
    this.pendingLength = 0;
    this.sink.error(new RpcProtocolError(message));
  }

  private peek(n: number): Buffer {
    if (this.pending[0].length >= n) return this.pending[0].subarray(0, n);
    const all = Buffer.concat(this.pending, this.pendingLength);
    this.pending = [all];
    return all.subarray(0, n);
  }

  private take(n: number): Buffer {
    const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingLength);
    // A chunk that is exactly one PDU (the common case) is that PDU: no copy, and nothing else pinned.
    if (all.length === n) {
      this.pending = [];
      this.pendingLength = 0;
      return all;
    }
    const out = Buffer.from(all.subarray(0, n));
    const rest = all.subarray(n);
    this.pending = rest.length ? [rest] : [];
    this.pendingLength = rest.length;
    return out;
  }
}
