#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""dkimpy_tool: sign and verify with dkimpy (Debian's python3-dkim), an
implementation independent of fblscope, for the interop and tamper tests.

  dkimpy_tool.py sign --domain D --selector S --key KEY.pem
        [--algorithm rsa-sha256|rsa-sha1|ed25519-sha256]
        [--canon HEADER/BODY] [--headers from:to:subject] [--length]
        [--identity I] [--timestamp EPOCH] [--expire EPOCH] [--out OUT]
        [FILE|-]
      Prints (or writes to OUT) the message with a DKIM-Signature field
      prepended.  KEY.pem is a PKCS#8 (or PKCS#1) PEM file: RSA, or
      Ed25519 for ed25519-sha256.
      --timestamp sets t= (default: now), --expire sets x= (absolute time).

  dkimpy_tool.py verify (--zone FILE... | --resolver IP[@PORT])
        [--timeout SECONDS] [--minkey BITS] [FILE...|-]
      Verifies every DKIM-Signature, printing one line per signature:
      "pass d=D s=S" or "fail d=D s=S: why" (each line prefixed with
      "FILE: " when several files are given).  Exits 0 only when every
      message has at least one signature and all pass, 1 otherwise, 2 on
      usage or I/O error.

  dkimpy_tool.py batch < COMMANDS
      Runs sign/verify/txt commands, one per line (shell-quoted words), in
      one process; sign takes --out FILE there.  Exits with the worst
      status.

  dkimpy_tool.py txt --zone FILE... NAME
      Prints the text of the (first, by bytes) TXT record at NAME in the
      zone files, its character-strings joined; exits 1 when there is none.

Run it with /usr/bin/python3: that is the interpreter python3-dkim is
installed for.
"""

import argparse
import base64
import re
import sys
import time

try:
    import dkim
    from dkim.canonicalization import CanonicalizationPolicy
    from dkim.crypto import HASH_ALGORITHMS, parse_pem_private_key
except ImportError as e:  # pragma: no cover - environment problem
    sys.stderr.write("dkimpy_tool: cannot import dkim (python3-dkim): %s\n" % e)
    sys.exit(2)

# PKCS#8 PrivateKeyInfo of an Ed25519 key: this prefix, then the 32-byte
# private key (RFC 8410 section 7).
ED25519_PKCS8_PREFIX = bytes.fromhex("302e020100300506032b657004220420")


def die(msg):
    sys.stderr.write("dkimpy_tool: %s\n" % msg)
    sys.exit(2)


def read_input(path):
    try:
        if path in (None, "-"):
            return sys.stdin.buffer.read()
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        die("%s: %s" % (path, e))


def pem_body(data):
    m = re.search(rb"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----",
                  data, re.DOTALL)
    if m is None:
        die("no PEM block in key file")
    return m.group(1), base64.b64decode(b"".join(m.group(2).split()))


def load_key(path, algorithm):
    """The private key in the form dkimpy's sign() wants."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        die("%s: %s" % (path, e))
    if algorithm == b"ed25519-sha256":
        label, der = pem_body(data)
        if not der.startswith(ED25519_PKCS8_PREFIX) or len(der) != 48:
            die("%s: not a PKCS#8 Ed25519 private key (%s)" %
                (path, label.decode()))
        return base64.b64encode(der[len(ED25519_PKCS8_PREFIX):])
    # dkimpy reads PKCS#1 and PKCS#8 RSA keys itself.  Its PEM regex wants
    # "--\n" right before the base64, which openssl's files have.
    return data


def cmd_sign(args):
    alg = args.algorithm.encode()
    if alg not in HASH_ALGORITHMS:
        die("unknown algorithm %s" % args.algorithm)
    try:
        hcanon, bcanon = args.canon.encode().split(b"/")
    except ValueError:
        hcanon, bcanon = args.canon.encode(), b"simple"
    msg = read_input(args.file)
    key = load_key(args.key, alg)
    include = None
    if args.headers:
        include = [h.strip().encode() for h in args.headers.split(":")
                   if h.strip()]
    identity = args.identity.encode() if args.identity else None
    d = dkim.DKIM(msg, signature_algorithm=alg, minkey=0)
    try:
        if args.timestamp is None and args.expire is None:
            sig = d.sign(args.selector.encode(), args.domain.encode(), key,
                         identity=identity, canonicalize=(hcanon, bcanon),
                         include_headers=include, length=args.length)
        else:
            sig = sign_with_times(d, args, key, alg, identity,
                                  (hcanon, bcanon), include)
    except dkim.DKIMException as e:
        die("sign: %s" % e)
    if args.out:
        try:
            with open(args.out, "wb") as f:
                f.write(sig + msg)
        except OSError as e:
            die("%s: %s" % (args.out, e))
    else:
        sys.stdout.buffer.write(sig + msg)
    return 0


def sign_with_times(d, args, key, alg, identity, canonicalize, include):
    """DKIM.sign() with a chosen t= and an x= tag.

    dkimpy's sign() always writes t=now and never x=; this builds the same
    tag list through the same dkimpy primitives (body canonicalization,
    hashing, gen_header), adding the times asked for.
    """
    domain = args.domain.encode()
    pk = load_pk_for_sign(key, alg)
    policy = CanonicalizationPolicy.from_c_value(b"/".join(canonicalize))
    if include is None:
        include = d.default_sign_headers()
    include = tuple(x.lower() for x in include)
    if b"from" not in include:
        die("sign: From must be signed")
    d.include_headers = include
    body = policy.canonicalize_body(d.body)
    d.hasher = HASH_ALGORITHMS[alg]
    h = d.hasher()
    h.update(body)
    t = args.timestamp if args.timestamp is not None else int(time.time())
    fields = [x for x in [
        (b"v", b"1"),
        (b"a", alg),
        (b"c", policy.to_c_value()),
        (b"d", domain),
        (b"i", identity or b"@" + domain),
        args.length and (b"l", str(len(body)).encode()),
        (b"q", b"dns/txt"),
        (b"s", args.selector.encode()),
        (b"t", str(t).encode()),
        args.expire is not None and (b"x", str(args.expire).encode()),
        (b"h", b" : ".join(include)),
        (b"bh", base64.b64encode(h.digest())),
        (b"b", b"0" * 60),
    ] if x]
    res = d.gen_header(fields, include, policy, b"DKIM-Signature", pk)
    return b"DKIM-Signature: " + res


def load_pk_for_sign(key, alg):
    if alg == b"ed25519-sha256":
        import nacl.encoding
        import nacl.signing
        return nacl.signing.SigningKey(key,
                                       encoder=nacl.encoding.Base64Encoder)
    return parse_pem_private_key(key)


class ZoneKeys:
    """TXT records from master-format zone files, through dnspython."""

    def __init__(self, paths):
        import dns.rdatatype
        import dns.zone
        self.txt = {}
        for path in paths:
            try:
                z = dns.zone.from_file(path, relativize=False,
                                       check_origin=False)
            except Exception as e:  # dnspython raises many kinds
                die("%s: %s" % (path, e))
            for name, rds in z.iterate_rdatasets(dns.rdatatype.TXT):
                key = name.to_text().lower().rstrip(".")
                # Sorted like fblscope's keyfetch, so that a name holding
                # several records is read the same way every run.
                self.txt.setdefault(key, []).extend(
                    sorted(b"".join(rd.strings) for rd in rds))

    def __call__(self, name, timeout=5):
        if isinstance(name, bytes):
            name = name.decode("ascii", "replace")
        recs = self.txt.get(name.lower().rstrip("."))
        return recs[0] if recs else None


class ResolverKeys:
    """TXT records from one DNS server (dnspython), no system resolver.

    An authoritative server answers a name that is a CNAME into another of
    its zones with the CNAME alone (NSD does); the target is then asked for
    itself, as a recursive resolver would, at most MAX_CNAME times.
    """

    MAX_CNAME = 8

    def __init__(self, spec, timeout):
        import dns.resolver
        if spec.startswith("["):
            host, _, port = spec[1:].partition("]@")
        else:
            host, _, port = spec.partition("@")
        self.r = dns.resolver.Resolver(configure=False)
        self.r.nameservers = [host]
        self.r.port = int(port) if port else 53
        self.timeout = timeout

    def __call__(self, name, timeout=5):
        import dns.exception
        import dns.resolver
        if isinstance(name, bytes):
            name = name.decode("ascii", "replace")
        for _ in range(self.MAX_CNAME + 1):
            try:
                a = self.r.resolve(name, "TXT", lifetime=self.timeout,
                                   raise_on_no_answer=False)
            except dns.resolver.NXDOMAIN:
                return None
            except (dns.exception.Timeout, dns.resolver.NoNameservers) as e:
                raise dkim.DnsTimeoutError(str(e))
            target = None
            for rrset in a.response.answer:
                if rrset.rdtype == dns.rdatatype.TXT:
                    return sorted(b"".join(rd.strings) for rd in rrset)[0]
                if rrset.rdtype == dns.rdatatype.CNAME:
                    target = rrset[0].target.to_text()
            if target is None:
                return None
            name = target
        return None


def sig_tags(field_value):
    """d= and s= of a DKIM-Signature value, best effort (for the report)."""
    tags = {}
    for part in field_value.split(b";"):
        k, sep, v = part.partition(b"=")
        if sep:
            tags[k.strip().decode("ascii", "replace")] = \
                b"".join(v.split()).decode("ascii", "replace")
    return tags.get("d", "?"), tags.get("s", "?")


def verify_one(msg, dnsfunc, args, prefix):
    d = dkim.DKIM(msg, minkey=args.minkey, timeout=args.timeout)
    sigs = [v for k, v in d.headers if k.lower() == b"dkim-signature"]
    if not sigs:
        print("%snone: no DKIM-Signature" % prefix)
        return 1
    status = 0
    for idx, value in enumerate(sigs):
        dom, sel = sig_tags(value)
        # A fresh object per signature: dkimpy keeps state between calls.
        d = dkim.DKIM(msg, minkey=args.minkey, timeout=args.timeout)
        try:
            good = d.verify(idx=idx, dnsfunc=dnsfunc)
            why = "signature did not verify"
        except dkim.DKIMException as e:
            good = False
            why = "%s: %s" % (type(e).__name__, e)
        if good:
            print("%spass d=%s s=%s" % (prefix, dom, sel))
        else:
            print("%sfail d=%s s=%s: %s" % (prefix, dom, sel, why))
            status = 1
    return status


def cmd_verify(args):
    if args.zone:
        dnsfunc = ZoneKeys(args.zone)
    elif args.resolver:
        dnsfunc = ResolverKeys(args.resolver, args.timeout)
    else:
        die("verify: give --zone or --resolver")
    files = args.file or ["-"]
    status = 0
    for path in files:
        prefix = "%s: " % path if len(files) > 1 else ""
        if verify_one(read_input(path), dnsfunc, args, prefix) != 0:
            status = 1
    return status


def cmd_txt(args):
    """Print the TXT record text (strings joined) at NAME in the zones."""
    rec = ZoneKeys(args.zone)(args.name)
    if rec is None:
        print("no TXT record at %s" % args.name, file=sys.stderr)
        return 1
    sys.stdout.buffer.write(rec + b"\n")
    return 0


def cmd_batch(parser):
    """Run the commands given one per line on standard input (shell-quoted
    words, e.g. "sign --domain ... --out F.eml M.eml"), in one process: a
    Python start costs far more than a signature.  Exit status: the worst
    of the commands'."""
    import shlex
    worst = 0
    for n, line in enumerate(sys.stdin, 1):
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if words[0] == "batch":
            die("line %d: batch inside batch" % n)
        try:
            args = parser.parse_args(words)
            rc = {"sign": cmd_sign, "verify": cmd_verify,
                  "txt": cmd_txt}[args.cmd](args)
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 2
            sys.stderr.write("dkimpy_tool: line %d failed: %s\n" %
                             (n, line.strip()))
        sys.stdout.flush()
        worst = max(worst, rc or 0)
    return worst


def main(argv):
    p = argparse.ArgumentParser(prog="dkimpy_tool.py")
    sub = p.add_subparsers(dest="cmd")
    s = sub.add_parser("sign")
    s.add_argument("--domain", required=True)
    s.add_argument("--selector", required=True)
    s.add_argument("--key", required=True)
    s.add_argument("--algorithm", default="rsa-sha256",
                   choices=["rsa-sha256", "rsa-sha1", "ed25519-sha256"])
    s.add_argument("--canon", default="relaxed/simple")
    s.add_argument("--headers")
    s.add_argument("--length", action="store_true")
    s.add_argument("--identity")
    s.add_argument("--timestamp", type=int)
    s.add_argument("--expire", type=int)
    s.add_argument("--out")
    s.add_argument("file", nargs="?")
    v = sub.add_parser("verify")
    v.add_argument("--zone", action="append")
    v.add_argument("--resolver")
    v.add_argument("--timeout", type=float, default=5)
    v.add_argument("--minkey", type=int, default=1024)
    v.add_argument("file", nargs="*")
    t = sub.add_parser("txt")
    t.add_argument("--zone", action="append", required=True)
    t.add_argument("name")
    sub.add_parser("batch")
    args = p.parse_args(argv)
    if args.cmd == "batch":
        return cmd_batch(p)
    if args.cmd == "sign":
        return cmd_sign(args)
    if args.cmd == "verify":
        return cmd_verify(args)
    if args.cmd == "txt":
        return cmd_txt(args)
    p.print_usage(sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
