#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""hostile_keys.py: RSA public keys an attacker can publish, and mail signed
"with" them, for tests/integration/hostile_keys.sh.

    /usr/bin/python3 hostile_keys.py OUTDIR

writes OUTDIR/keys.zone (one TXT record per case under hostile.example) and
OUTDIR/CASE.eml (one message per case whose DKIM-Signature names the case's
selector), plus OUTDIR/cases.tsv: case, modulus bits, exponent bits, the
reason fblscope must give.

The keys need not be real RSA keys: a public operation needs only n and e, so
n is random bytes with the top bit set and the bottom bit set.  The keys are
written as DER SubjectPublicKeyInfo by hand (the standard library has no
ASN.1), which is the point: nothing here asks OpenSSL whether the key is sane.

b= is chosen so that, with e = 1, "opening" the signature gives a PKCS#1
type 1 block whose payload fills the modulus: what overflowed a fixed-size
recovery buffer (issue 11, item 1).  bh= is right, so verification reaches
the header signature.
"""
import base64
import hashlib
import random
import sys

RSA_OID = bytes.fromhex("06092a864886f70d010101")


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def der(tag, content):
    return bytes([tag]) + der_len(len(content)) + content


def der_int(v):
    b = v.to_bytes((v.bit_length() + 7) // 8 or 1, "big")
    if b[0] & 0x80:
        b = b"\x00" + b
    return der(0x02, b)


def spki(n, e):
    rsapub = der(0x30, der_int(n) + der_int(e))
    alg = der(0x30, RSA_OID + b"\x05\x00")
    return der(0x30, alg + der(0x03, b"\x00" + rsapub))


def modulus(bits, rng):
    v = rng.getrandbits(bits)
    return v | (1 << (bits - 1)) | 1


def zone_txt(owner, record):
    s = [record[i:i + 255] for i in range(0, len(record), 255)]
    return "%s 300 IN TXT ( %s )\n" % (owner, " ".join('"%s"' % x for x in s))


def relaxed_body_hash(body):
    # the bodies below are already relaxed-canonical: CRLF lines, no
    # trailing whitespace, one final CRLF
    return base64.b64encode(hashlib.sha256(body).digest()).decode()


def type1_block(nbytes, fill):
    """00 01 FF*8 00 payload: a PKCS#1 v1.5 block filling nbytes."""
    head = b"\x00\x01" + b"\xff" * 8 + b"\x00"
    return head + fill * (nbytes - len(head))


def message(sel, b):
    body = b"An offer you cannot refuse.\r\n"
    sig = ("v=1; a=rsa-sha256; c=relaxed/relaxed; d=hostile.example; "
           "s=%s; t=1795251600; h=from:subject; bh=%s; b=%s"
           % (sel, relaxed_body_hash(body), base64.b64encode(b).decode()))
    return (b"DKIM-Signature: " + sig.encode() + b"\r\n"
            b"From: Sender <news@hostile.example>\r\n"
            b"Subject: hostile key " + sel.encode() + b"\r\n"
            b"Date: Fri, 20 Nov 2026 08:00:00 +0000\r\n"
            b"\r\n" + body)


def main():
    out = sys.argv[1]
    rng = random.Random(20261206)
    # case, modulus bits, e, reason
    cases = [
        ("huge16384e1", 16384, 1, "key-too-large"),
        ("huge16384", 16384, 65537, "key-too-large"),
        ("big9216", 9216, 65537, "key-too-large"),
        ("max8192", 8192, 65537, "signature-mismatch"),
        ("e1", 2048, 1, "key-bad-exponent"),
        ("eeven", 2048, 65536, "key-bad-exponent"),
        ("e34bits", 2048, (1 << 33) + 1, "key-bad-exponent"),
        ("e33bits", 2048, (1 << 32) + 15, "signature-mismatch"),
        ("e3071bits", 3072, None, "key-bad-exponent"),
        ("e3", 2048, 3, "signature-mismatch"),
    ]
    zone = ["$ORIGIN .\n$TTL 300\n",
            ". 300 IN SOA ns.invalid. hostmaster.invalid. 1 3600 600 86400 300\n",
            ". 300 IN NS ns.invalid.\n"]
    tsv = []
    for name, bits, e, reason in cases:
        n = modulus(bits, rng)
        if e is None:
            e = modulus(bits - 1, rng)
        rec = "v=DKIM1; k=rsa; p=" + base64.b64encode(spki(n, e)).decode()
        zone.append(zone_txt(name + "._domainkey.hostile.example.", rec))
        b = type1_block(bits // 8, b"A")
        with open("%s/%s.eml" % (out, name), "wb") as f:
            f.write(message(name, b))
        tsv.append("%s\t%d\t%d\t%s\n" % (name, bits, e.bit_length(), reason))
    with open(out + "/keys.zone", "w") as f:
        f.writelines(zone)
    with open(out + "/cases.tsv", "w") as f:
        f.writelines(tsv)


main()
