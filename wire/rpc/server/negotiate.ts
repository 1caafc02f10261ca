// The server's answer to each presentation context of a bind or alter_context (C706 12.6.3.1,
// [MS-RPCE] 3.3.1.5.3): accept the interface with NDR20, acknowledge bind time feature negotiation
// (supporting none of the features), reject everything else with the reason a client can act on.
import { BIND_TIME_FEATURE_PREFIX, NDR20, PROVIDER_REASON, RESULT, type SyntaxId } from '../constants';
import type { ContextResult, PresentationContext } from '../pdu';

const NULL_SYNTAX: SyntaxId = { uuid: '00000000-0000-0000-0000-000000000000', major: 0, minor: 0 };

export interface Negotiated {
  results: ContextResult[];
  /** Contexts accepted for calls: p_cont_id -> the abstract syntax bound. */
  accepted: Map<number, SyntaxId>;
}

export function sameSyntax(a: SyntaxId, b: SyntaxId): boolean {
  return a.uuid.toLowerCase() === b.uuid.toLowerCase() && a.major === b.major && a.minor === b.minor;
}

export function negotiateContexts(contexts: PresentationContext[], accepts: (syntax: SyntaxId) => boolean): Negotiated {
  const accepted = new Map<number, SyntaxId>();
  const results = contexts.map((c): ContextResult => {
    if (c.transferSyntaxes.some((t) => t.uuid.toLowerCase().startsWith(BIND_TIME_FEATURE_PREFIX))) {
      // negotiate_ack with an empty feature bitmask: neither security context multiplexing nor
      // keeping the connection open on orphan is offered.
      return { result: RESULT.negotiate_ack, reason: 0, transferSyntax: NULL_SYNTAX };
    }
    if (!accepts(c.abstractSyntax)) {
      return { result: RESULT.provider_rejection, reason: PROVIDER_REASON.abstract_syntax_not_supported, transferSyntax: NULL_SYNTAX };
    }
    if (!c.transferSyntaxes.some((t) => sameSyntax(t, NDR20))) {
      return { result: RESULT.provider_rejection, reason: PROVIDER_REASON.proposed_transfer_syntaxes_not_supported, transferSyntax: NULL_SYNTAX };
    }
    if (accepted.has(c.contextId)) {
      return { result: RESULT.provider_rejection, reason: PROVIDER_REASON.reason_not_specified, transferSyntax: NULL_SYNTAX };
    }
    accepted.set(c.contextId, c.abstractSyntax);
    return { result: RESULT.acceptance, reason: 0, transferSyntax: NDR20 };
  });
  return { results, accepted };
}
