#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""corpus_dkim.py: run fblscope over the DKIM corpus and judge each signature.

Helper of tests/integration/corpus_dkim.sh (run it with /usr/bin/python3).

  corpus_dkim.py zone --corpus DIR --bin FBLSCOPE [--asan-bin FBLSCOPE_ASAN]
      Verify every case with --zone <its zone file>; one line per row of
      expected.tsv ("corpus/dkim/CASE#SIG"), compared with the strict column.
      With --asan-bin, also run the sanitizer build on every case and print
      one line per case ("corpus/dkim-asan/CASE"): no sanitizer report, no
      crash, same verdicts as the release build.

  corpus_dkim.py dns --corpus DIR --bin FBLSCOPE --server ZONE=IP@PORT...
                     [--timeout-server IP@PORT] [--servfail-server IP@PORT]
      The same through DNS servers (one per zone file): lines
      "corpus/dkim-dns/CASE#SIG".  Rows whose key lookup the source makes time
      out or SERVFAIL (tags dns:timeout / dns:servfail) are verified against
      --timeout-server / --servfail-server and judged against the source's own
      verdict (temperror), which a zone file cannot express (strict says ?).
      Plus two checks that a DNS failure is a temperror for a signature whose
      algorithm is acceptable ("...#SIG:dns-timeout", "...#SIG:dns-servfail").

  corpus_dkim.py mkzones --corpus DIR OUTDIR
      Write OUTDIR/<zone> for every zone of expected.tsv: the fragment made a
      root zone (SOA and NS of "." prepended), as the corpus README says.

  corpus_dkim.py fakedns ADDR MODE PORTFILE LIFETIME
      A stand-in for a broken name server, on ADDR, UDP and TCP on one port
      (written to PORTFILE once listening): MODE "blackhole" never answers
      (queries time out), MODE "servfail" answers every query with SERVFAIL.
      Exits by itself after LIFETIME seconds.

Exit status of zone/dns: 1 when any line is "not ok", else 0.
"""

import argparse
import json
import os
import selectors
import socket
import struct
import subprocess
import sys
import time

RUN_TIMEOUT = 60        # seconds for one fblscope run (a hang is a failure)
SAN_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
               "runtime error:", "SUMMARY: UndefinedBehaviorSanitizer",
               "SUMMARY: AddressSanitizer")

ROOT_HEAD = ("$ORIGIN .\n"
             ". 300 IN SOA ns.invalid. hostmaster.invalid. 1 3600 600 86400 300\n"
             ". 300 IN NS ns.invalid.\n")


class Out:
    """Prints protocol lines and counts them."""

    def __init__(self):
        self.n_ok = self.n_fail = self.n_skip = 0

    def ok(self, name):
        self.n_ok += 1
        print("ok %s" % name, flush=True)

    def not_ok(self, name, why):
        self.n_fail += 1
        print("not ok %s: %s" % (name, oneline(why)), flush=True)

    def skip(self, name, why):
        self.n_skip += 1
        print("skip %s: %s" % (name, oneline(why)), flush=True)


def oneline(s, limit=600):
    s = " ".join(str(s).split())
    return s if len(s) <= limit else s[:limit - 3] + "..."


def read_rows(corpus):
    path = os.path.join(corpus, "expected.tsv")
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    head = lines[0].split("\t")
    for col in ("case", "sig", "zone", "a", "result", "strict", "notes"):
        if col not in head:
            raise SystemExit("%s: no column %r in %r" % (path, col, head))
    rows = []
    for ln in lines[1:]:
        if not ln.strip():
            continue
        cells = ln.split("\t")
        cells += [""] * (len(head) - len(cells))
        row = dict(zip(head, cells))
        row["sig"] = int(row["sig"])
        row["name"] = row["case"][:-4] if row["case"].endswith(".eml") else row["case"]
        rows.append(row)
    return rows


def row_tags(row):
    notes = row.get("notes", "")
    i = notes.find("tags:")
    if i < 0:
        return []
    tags, depth, cur = [], 0, ""
    for ch in notes[i + 5:]:       # split at commas outside parentheses
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth <= 0:
            tags.append(cur.strip())
            cur = ""
        else:
            cur += ch
    tags.append(cur.strip())
    return [t for t in tags if t]


def row_note(row):
    """'source verdict | why | tags' shortened for a not-ok line."""
    parts = [p.strip() for p in row.get("notes", "").split("|")]
    parts = [p for p in parts if p and not p.startswith("tags:")]
    # Only the verdict-relevant tags (README "Notes tags"); the ones that say
    # how the bytes were derived are noise here.
    tags = [t for t in row_tags(row) if t.startswith(
        ("rfc8301:", "rfc6376:", "rfc4871:", "key-t=", "l=", "date:", "dns:"))]
    if tags:
        parts.append("tags: " + ", ".join(tags))
    return oneline("; ".join(parts), 300)


def dns_failure_kind(row):
    tags = row_tags(row)
    if "dns:timeout" in tags:
        return "timeout"
    if "dns:servfail" in tags:
        return "servfail"
    return None


class Verdicts:
    """What one fblscope run said about one case."""

    def __init__(self):
        self.error = None       # why there is no usable output, or None
        self.sigs = {}          # index -> signature object
        self.status = None      # exit status (negative: killed by signal)
        self.stderr = ""
        self.raw = ""

    def get(self, idx):
        return self.sigs.get(idx)

    def summary(self):
        return [(i, s.get("result"), s.get("reason"))
                for i, s in sorted(self.sigs.items())]


def san_env():
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "halt_on_error=1:detect_leaks=1:abort_on_error=0:"
                   "exitcode=23:print_summary=1")
    env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1:exitcode=23")
    return env


def run_verify(binary, opts, case_path):
    v = Verdicts()
    if not binary or not os.path.isfile(binary) or not os.access(binary, os.X_OK):
        v.error = "no output: %s is missing or not executable" % binary
        return v
    argv = [binary, "verify"] + opts + ["--format", "json", case_path]
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=RUN_TIMEOUT, env=san_env())
    except subprocess.TimeoutExpired:
        v.error = "no output: verify ran over %d s" % RUN_TIMEOUT
        return v
    except OSError as e:
        v.error = "no output: cannot run %s: %s" % (binary, e)
        return v
    v.status = p.returncode
    v.stderr = p.stderr.decode("utf-8", "replace")
    v.raw = p.stdout.decode("utf-8", "replace")
    obj = None
    bad = None
    for ln in v.raw.splitlines():
        ln = ln.strip()
        if not ln.startswith("{"):
            continue
        try:
            cand = json.loads(ln)
        except ValueError as e:
            bad = "output is not JSON (%s): %s" % (e, ln[:120])
            continue
        if isinstance(cand, dict):
            obj = cand
            break
    if p.returncode < 0:
        v.error = "verify killed by signal %d" % -p.returncode
    elif obj is None:
        v.error = bad or ("no output (exit %d%s)" % (
            p.returncode, ", stderr: " + oneline(v.stderr, 200) if v.stderr.strip() else ""))
    else:
        sigs = obj.get("signatures")
        if not isinstance(sigs, list):
            v.error = "JSON has no signatures list: %s" % oneline(json.dumps(obj), 200)
        else:
            for pos, s in enumerate(sigs, 1):
                if not isinstance(s, dict):
                    continue
                idx = s.get("index", pos)
                try:
                    idx = int(idx)
                except (TypeError, ValueError):
                    idx = pos
                v.sigs[idx] = s
    return v


def describe(sig):
    res = sig.get("result", "(no result)")
    reason = sig.get("reason", "")
    detail = sig.get("detail", "")
    s = "%s (reason %s" % (res, reason or "-")
    if detail:
        s += ": %s" % oneline(detail, 160)
    return s + ")"


def judge(out, name, row, v, expect, expect_src="strict"):
    """One line for one row: v's verdict for row's signature vs expect."""
    sig = v.get(row["sig"]) if v.error is None else None
    if expect == "?":
        got = describe(sig) if sig else (v.error or "no signature #%d" % row["sig"])
        out.skip(name, "source asserts nothing (strict ?); got %s" % got)
        return
    if v.error is not None:
        out.not_ok(name, "%s; %s says %s" % (v.error, expect_src, expect))
        return
    if sig is None:
        out.not_ok(name, "no signature #%d in the output (it has %s); %s says %s" % (
            row["sig"], sorted(v.sigs) or "none", expect_src, expect))
        return
    if sig.get("result") == expect:
        out.ok(name)
        return
    extra = ""
    if expect_src == "strict" and row["result"] != row["strict"]:
        extra = ", source says %s" % row["result"]
    out.not_ok(name, "got %s, %s says %s%s (%s)" % (
        describe(sig), expect_src, expect, extra, row_note(row)))


def group_cases(rows):
    cases = {}
    order = []
    for r in rows:
        if r["case"] not in cases:
            cases[r["case"]] = []
            order.append(r["case"])
        cases[r["case"]].append(r)
    return order, cases


def cmd_zone(args):
    out = Out()
    rows = read_rows(args.corpus)
    order, cases = group_cases(rows)
    asan = args.asan_bin
    asan_usable = bool(asan) and os.path.isfile(asan) and os.access(asan, os.X_OK)
    if asan and not asan_usable:
        out.skip("corpus/dkim-asan", "no sanitizer build at %s" % asan)
    for case in order:
        crows = cases[case]
        zone = os.path.join(args.corpus, crows[0]["zone"])
        path = os.path.join(args.corpus, "cases", case)
        opts = ["--zone", zone]
        v = run_verify(args.bin, opts, path)
        for r in crows:
            name = "corpus/dkim/%s#%d" % (r["name"], r["sig"])
            if r["strict"] == "temperror":
                out.skip(name, "strict says temperror, which a zone file cannot produce "
                         "(checked through DNS in corpus/dkim-dns)")
                continue
            judge(out, name, r, v, r["strict"])
        if asan_usable:
            a = run_verify(asan, opts, path)
            name = "corpus/dkim-asan/%s" % crows[0]["name"]
            san = [m for m in SAN_MARKERS if m in a.stderr]
            if san:
                first = [ln for ln in a.stderr.splitlines() if any(m in ln for m in SAN_MARKERS)]
                out.not_ok(name, "sanitizer report: %s" % oneline(first[0] if first else san[0], 300))
            elif a.error is not None:
                out.not_ok(name, "ASan build: %s" % a.error)
            elif v.error is None and a.summary() != v.summary():
                out.not_ok(name, "ASan build says %s, release build %s" % (a.summary(), v.summary()))
            elif v.error is None and a.status != v.status:
                out.not_ok(name, "ASan build exit %s, release build exit %s" % (a.status, v.status))
            else:
                out.ok(name)
    return 1 if out.n_fail else 0


def parse_servers(items):
    m = {}
    for it in items or []:
        zone, sep, addr = it.partition("=")
        if not sep or not addr:
            raise SystemExit("--server wants ZONE=IP@PORT, not %r" % it)
        m[zone] = addr
    return m


def cmd_dns(args):
    out = Out()
    rows = read_rows(args.corpus)
    order, cases = group_cases(rows)
    servers = parse_servers(args.server)
    fail_server = {"timeout": args.timeout_server, "servfail": args.servfail_server}
    ok_opts = ["--timeout", "2000", "--retries", "1"]
    fail_opts = ["--timeout", "300", "--retries", "0"]
    for case in order:
        crows = cases[case]
        zone = crows[0]["zone"]
        path = os.path.join(args.corpus, "cases", case)
        kinds = {dns_failure_kind(r) for r in crows} - {None}
        if kinds:
            # The source makes this case's key lookup fail: ask a broken server.
            kind = sorted(kinds)[0]
            srv = fail_server[kind]
            if not srv:
                for r in crows:
                    out.skip("corpus/dkim-dns/%s#%d" % (r["name"], r["sig"]),
                             "no %s server to make the lookup fail" % kind)
                continue
            v = run_verify(args.bin, ["--resolver", srv] + fail_opts, path)
            for r in crows:
                name = "corpus/dkim-dns/%s#%d" % (r["name"], r["sig"])
                sig = v.get(r["sig"]) if v.error is None else None
                if (sig is not None and sig.get("result") == "permerror"
                        and sig.get("reason") == "algorithm-forbidden"
                        and r["a"] == "rsa-sha1"):
                    # A strict verifier may refuse rsa-sha1 (RFC 8301) before
                    # it looks the key up; strict says ? for this row.
                    out.skip(name, "verifier refused %s before the key lookup (strict ?); "
                             "the DNS %s was not exercised here (see the "
                             ":dns-%s check)" % (r["a"], kind, kind))
                    continue
                judge(out, name, r, v, r["result"],
                      expect_src="the source (DNS %s through %s)" % (kind, srv))
            continue
        srv = servers.get(zone)
        if not srv:
            for r in crows:
                out.skip("corpus/dkim-dns/%s#%d" % (r["name"], r["sig"]),
                         "no DNS server for %s" % zone)
            continue
        v = run_verify(args.bin, ["--resolver", srv] + ok_opts, path)
        for r in crows:
            judge(out, "corpus/dkim-dns/%s#%d" % (r["name"], r["sig"]), r, v, r["strict"])

    # DNS failures on a signature nothing else objects to: the verdict must be
    # temperror with the DNS reason (DESIGN.md section 4), never fail/permerror.
    pick = None
    for r in rows:
        if (r["zone"] == "keys.zone" and r["strict"] == "pass" and r["result"] == "pass"
                and r["a"] in ("rsa-sha256", "ed25519-sha256")):
            pick = r
            break
    for kind, reason in (("timeout", "dns-timeout"), ("servfail", "dns-servfail")):
        if pick is None:
            out.skip("corpus/dkim-dns/:dns-%s" % kind, "no strict-pass row in keys.zone")
            continue
        name = "corpus/dkim-dns/%s#%d:dns-%s" % (pick["name"], pick["sig"], kind)
        srv = fail_server[kind]
        if not srv:
            out.skip(name, "no %s server" % kind)
            continue
        path = os.path.join(args.corpus, "cases", pick["case"])
        v = run_verify(args.bin, ["--resolver", srv] + fail_opts, path)
        sig = v.get(pick["sig"]) if v.error is None else None
        if v.error is not None:
            out.not_ok(name, "%s; want temperror (reason %s)" % (v.error, reason))
        elif sig is None:
            out.not_ok(name, "no signature #%d in the output; want temperror" % pick["sig"])
        elif sig.get("result") == "temperror" and sig.get("reason") == reason:
            out.ok(name)
        else:
            out.not_ok(name, "got %s, want temperror (reason %s) from %s" % (
                describe(sig), reason, srv))
    return 1 if out.n_fail else 0


def cmd_mkzones(args):
    rows = read_rows(args.corpus)
    zones = sorted({r["zone"] for r in rows})
    os.makedirs(args.outdir, exist_ok=True)
    for z in zones:
        if "/" in z or z.startswith("."):
            raise SystemExit("odd zone name %r in expected.tsv" % z)
        with open(os.path.join(args.corpus, z), encoding="utf-8") as f:
            frag = f.read()
        if not frag.endswith("\n"):
            frag += "\n"
        with open(os.path.join(args.outdir, z), "w", encoding="utf-8") as f:
            f.write("; root zone made by tests/lib/corpus_dkim.py from %s\n" % z)
            f.write(ROOT_HEAD)
            f.write(frag)
        print(z)
    return 0


def servfail_reply(q):
    """SERVFAIL answer to query q (wire format), or None if q is too short."""
    if len(q) < 12:
        return None
    qid, flags, qd = struct.unpack("!HHH", q[:6])
    # Copy the question section when it parses.
    pos, qsec = 12, b""
    if qd >= 1:
        p = 12
        while p < len(q) and q[p] != 0:
            p += 1 + q[p]
        if p + 5 <= len(q):
            qsec = q[12:p + 5]
            pos = p + 5
    rflags = 0x8000 | (flags & 0x7900) | 2      # QR, opcode, RD; rcode SERVFAIL
    return struct.pack("!HHHHHH", qid, rflags, 1 if qsec else 0, 0, 0, 0) + qsec


def cmd_fakedns(args):
    end = time.time() + float(args.lifetime)
    udp = tcp = None
    for _ in range(50):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind((args.addr, 0))
        port = udp.getsockname()[1]
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            tcp.bind((args.addr, port))
            break
        except OSError:
            udp.close()
            tcp.close()
            udp = tcp = None
    if udp is None:
        raise SystemExit("fakedns: no port with both UDP and TCP free")
    tcp.listen(16)
    tmp = args.portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, args.portfile)
    sel = selectors.DefaultSelector()
    sel.register(udp, selectors.EVENT_READ, "udp")
    sel.register(tcp, selectors.EVENT_READ, "tcp")
    conns = {}
    while time.time() < end:
        for key, _ in sel.select(timeout=min(1.0, max(0.0, end - time.time()))):
            if key.data == "udp":
                q, peer = udp.recvfrom(4096)
                if args.mode == "servfail":
                    r = servfail_reply(q)
                    if r:
                        udp.sendto(r, peer)
            elif key.data == "tcp":
                c, _ = tcp.accept()
                if len(conns) > 64:
                    c.close()
                    continue
                conns[c] = b""
                sel.register(c, selectors.EVENT_READ, "conn")
            else:
                c = key.fileobj
                data = c.recv(4096)
                if not data:
                    sel.unregister(c)
                    conns.pop(c, None)
                    c.close()
                    continue
                buf = conns[c] + data
                while len(buf) >= 2 and len(buf) >= 2 + struct.unpack("!H", buf[:2])[0]:
                    n = struct.unpack("!H", buf[:2])[0]
                    q, buf = buf[2:2 + n], buf[2 + n:]
                    if args.mode == "servfail":
                        r = servfail_reply(q)
                        if r:
                            c.sendall(struct.pack("!H", len(r)) + r)
                conns[c] = buf
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    z = sub.add_parser("zone")
    z.add_argument("--corpus", required=True)
    z.add_argument("--bin", required=True)
    z.add_argument("--asan-bin")
    d = sub.add_parser("dns")
    d.add_argument("--corpus", required=True)
    d.add_argument("--bin", required=True)
    d.add_argument("--server", action="append")
    d.add_argument("--timeout-server")
    d.add_argument("--servfail-server")
    m = sub.add_parser("mkzones")
    m.add_argument("--corpus", required=True)
    m.add_argument("outdir")
    f = sub.add_parser("fakedns")
    f.add_argument("addr")
    f.add_argument("mode", choices=("blackhole", "servfail"))
    f.add_argument("portfile")
    f.add_argument("lifetime")
    args = ap.parse_args()
    return {"zone": cmd_zone, "dns": cmd_dns, "mkzones": cmd_mkzones,
            "fakedns": cmd_fakedns}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
