#!/usr/bin/python3
"""Independent NTLM peer for the interop tests, built on python3-impacket's NTLM module.

One request per run: a JSON object on stdin with "op" and its inputs (hex strings), a JSON object
on stdout. The password comes from the CMRP_PASSWORD environment variable, never from argv or
stdin, and is never printed. Exit 3 when impacket is missing, so the test can skip with a reason.
"""
import json
import os
import struct
import sys
import time

try:
    from impacket import ntlm
    from Cryptodome.Cipher import ARC4
except ImportError as e:  # pragma: no cover
    print(json.dumps({"missing": str(e)}))
    sys.exit(3)

PASSWORD = os.environ.get("CMRP_PASSWORD", "")
h = bytes.fromhex


def filetime_now():
    return struct.pack("<Q", 116444736000000000 + int(time.time()) * 10000000)


def keys(exported, flags, mode):
    """Signing key, sealing key and a fresh RC4 handle for one direction."""
    sign = ntlm.SIGNKEY(flags, exported, mode)
    seal = ntlm.SEALKEY(flags, exported, mode)
    return sign, seal, ARC4.new(seal).encrypt


def op_type1(_req):
    t1 = ntlm.getNTLMSSPType1("", "", signingRequired=True, use_ntlmv2=True)
    return {"type1": t1.getData().hex()}


def op_type3(req):
    t1 = ntlm.NTLMAuthNegotiate()
    t1.fromString(h(req["type1"]))
    t3, exported = ntlm.getNTLMSSPType3(t1, h(req["challenge"]), req["user"], PASSWORD, req["domain"], use_ntlmv2=True)
    return {"type3": t3.getData().hex(), "exportedSessionKey": exported.hex(), "flags": t3["flags"]}


def op_challenge(_req):
    """A CHALLENGE_MESSAGE built with impacket's structures, as a Windows server would send it."""
    c = ntlm.NTLMAuthChallenge()
    c["flags"] = (
        ntlm.NTLMSSP_NEGOTIATE_UNICODE | ntlm.NTLMSSP_REQUEST_TARGET | ntlm.NTLMSSP_NEGOTIATE_SIGN
        | ntlm.NTLMSSP_NEGOTIATE_SEAL | ntlm.NTLMSSP_NEGOTIATE_NTLM | ntlm.NTLMSSP_NEGOTIATE_ALWAYS_SIGN
        | ntlm.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | ntlm.NTLMSSP_TARGET_TYPE_SERVER
        | ntlm.NTLMSSP_NEGOTIATE_TARGET_INFO | ntlm.NTLMSSP_NEGOTIATE_128 | ntlm.NTLMSSP_NEGOTIATE_KEY_EXCH
        | ntlm.NTLMSSP_NEGOTIATE_56
    )
    c["challenge"] = os.urandom(8)
    c["domain_name"] = "PYSERVER".encode("utf-16le")
    c["Version"] = b""
    av = ntlm.AV_PAIRS()
    av[ntlm.NTLMSSP_AV_HOSTNAME] = "PYSERVER".encode("utf-16le")
    av[ntlm.NTLMSSP_AV_DOMAINNAME] = "PYDOMAIN".encode("utf-16le")
    av[ntlm.NTLMSSP_AV_TIME] = filetime_now()
    c["TargetInfoFields"] = av
    c["TargetInfoFields_len"] = len(av)
    c["TargetInfoFields_max_len"] = len(av)
    c["TargetInfoFields_offset"] = 40 + 8 + len(c["domain_name"])  # 48-byte header without Version
    c["domain_offset"] = 48
    data = c.getData()
    return {"challenge": data.hex(), "serverChallenge": c["challenge"].hex()}


def field(data, at):
    length, _max, offset = struct.unpack_from("<HHL", data, at)
    return data[offset:offset + length]


def op_verify_authenticate(req):
    """Checks a client's AUTHENTICATE_MESSAGE the way a server would, with impacket's primitives."""
    data = h(req["authenticate"])
    t3 = ntlm.NTLMAuthChallengeResponse()
    t3.fromString(data)
    flags = t3["flags"]
    user = t3["user_name"].decode("utf-16le")
    domain = t3["domain_name"].decode("utf-16le")
    nt = t3["ntlm"]
    server_challenge = h(req["serverChallenge"])
    response_key = ntlm.NTOWFv2(user, PASSWORD, domain)
    nt_proof = ntlm.hmac_md5(response_key, server_challenge + nt[16:])
    proof_ok = nt_proof == nt[:16]
    session_base_key = ntlm.hmac_md5(response_key, nt_proof)
    enc_key = field(data, 52)
    exported = ntlm.generateEncryptedSessionKey(session_base_key, enc_key) if flags & ntlm.NTLMSSP_NEGOTIATE_KEY_EXCH else session_base_key
    av = ntlm.AV_PAIRS(nt[16 + 28:])
    av_flags = struct.unpack("<L", av[ntlm.NTLMSSP_AV_FLAGS][1])[0] if av[ntlm.NTLMSSP_AV_FLAGS] else 0
    mic_ok = None
    if av_flags & 2:
        zeroed = data[:72] + b"\0" * 16 + data[88:]
        mic = ntlm.hmac_md5(exported, h(req["negotiate"]) + h(req["challenge"]) + zeroed)
        mic_ok = mic == data[72:88]
    return {"ntProofStrOk": proof_ok, "micOk": mic_ok, "user": user, "domain": domain, "flags": flags,
            "exportedSessionKey": exported.hex()}


def op_seal(req):
    """Seals a DCE/RPC PDU laid out with its verifier (signature bytes zero) with impacket's SEAL."""
    flags = req["flags"]
    pdu = bytearray(h(req["template"]))
    start, end = req["bodyStart"], req["trailerOffset"]
    sign, seal, handle = keys(h(req["exportedSessionKey"]), flags, req["mode"])
    sealed, signature = ntlm.SEAL(flags, sign, seal, bytes(pdu[:-16]), bytes(pdu[start:end]), req["seq"], handle)
    pdu[start:end] = sealed
    pdu[-16:] = signature.getData()
    return {"pdu": bytes(pdu).hex()}


def op_unseal(req):
    """Unseals and verifies a DCE/RPC PDU sealed by the other implementation."""
    flags = req["flags"]
    pdu = bytearray(h(req["pdu"]))
    start, end = req["bodyStart"], req["trailerOffset"]
    sign, _seal, handle = keys(h(req["exportedSessionKey"]), flags, req["mode"])
    pdu[start:end] = handle(bytes(pdu[start:end]))
    expected = ntlm.MAC(flags, handle, sign, req["seq"], bytes(pdu[:-16])).getData()
    return {"signatureOk": expected == bytes(pdu[-16:]), "plain": bytes(pdu[:-16]).hex()}


def op_spnego(req):
    """Parses our NegTokenInit and NegTokenResp with impacket's SPNEGO classes and builds a server
    NegTokenResp for our client to parse."""
    from impacket.spnego import SPNEGO_NegTokenInit, SPNEGO_NegTokenResp, TypesMech
    init = SPNEGO_NegTokenInit(h(req["init"]))
    resp = SPNEGO_NegTokenResp(h(req["resp"]))
    ntlm_oid = TypesMech["NTLMSSP - Microsoft NTLM Security Support Provider"]
    built = SPNEGO_NegTokenResp()
    built["NegState"] = b"\x01"
    built["SupportedMech"] = ntlm_oid
    built["ResponseToken"] = h(req["responseToken"])
    return {
        "initMechTypes": [m.hex() for m in init["MechTypes"]],
        "initMechToken": init["MechToken"].hex(),
        "respNegState": resp["NegState"].hex(),
        "respSupportedMech": resp["SupportedMech"].hex(),
        "respResponseToken": resp["ResponseToken"].hex(),
        "ntlmOid": ntlm_oid.hex(),
        "built": built.getData().hex(),
    }


OPS = {"spnego": op_spnego, "type1": op_type1, "type3": op_type3, "challenge": op_challenge,
       "verify_authenticate": op_verify_authenticate, "seal": op_seal, "unseal": op_unseal}

if __name__ == "__main__":
    request = json.load(sys.stdin)
    print(json.dumps(OPS[request["op"]](request)))
