#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""corpus_arf.py: `fblscope arf` over the feedback-report corpus, judged
against $FBL_CORPUS/expected.tsv (see the corpus README for the columns).

usage: corpus_arf.py --corpus DIR --bin FBLSCOPE [--asan-bin FBLSCOPE]
       corpus_arf.py --wiring --root REPO --tmp DIR --bin FBLSCOPE

For every row: `FBLSCOPE arf --format json --zone /dev/null FILE`, then one
line per compared column, "corpus/arf/NAME/COLUMN" (NAME = file name without
.eml; not-arf rows are "corpus/not-arf/NAME/COLUMN"):
  complaint          yes/no        <- "complaint" true/false
  feedback_type      value or -    <- "feedback_type" (null = -)
  reporter           value or -    <- "reporter" (null = -)
  original           value or -    <- "original" (null = -)
  original_has_dkim  yes/no/-      <- "original_has_dkim" true/false/null
  reported_domain    a,b or -      <- "reported_domain" array joined by ","
and "corpus/.../run" for the run itself (exit status 0, one JSON line).
The rows of DERIVED below (reports without Source-IP) also get ".../source_ip_derived"
(the address and where it was taken from); any other row with a derived
address fails the same line.
With --asan-bin, the sanitizer build runs every file too and must give the
same JSON (verified_at aside when the clock was "now"):
"corpus/arf-asan/NAME".  Expected values come from the table
only; the table is never written.

--wiring: reports built around samples/mail/01-good.eml (signed for
fbl.myesp.example and customer.example, t=1795251600, keys in
samples/zones/demo.zone) check what is handed to the verifier and when:
"arf/verify/CASE".  A correctly signed original must pass in every form
that keeps its body (rfc822 with LF or CRLF, base64, behind blank lines
and an mbox From_ line), be neutral /
headers-only with its header signature verified when only the headers are
given, be refused as future-timestamp when the Arrival-Date is a day
before t=, and take its roles from --config.
"""
import argparse
import base64
import calendar
import csv
import json
import os
import subprocess
import sys

COLUMNS = ("complaint", "feedback_type", "reporter", "original",
           "original_has_dkim", "reported_domain")

# Reports without Source-IP get a derived address (docs/arf.md): Microsoft
# JMRP from the Subject "complaint about message from IP", else (a masked
# Subject) from the Received field Microsoft's edge added to the original;
# any known reporter (here the old Yahoo reports) from its own edge's
# Received field.  Read by hand from each file; no other corpus file gets
# a derived address.
DERIVED = {
    "arf/sisimai-arf-22.eml": ("192.0.2.222", "subject"),
    "arf/sisimai-arf-23.eml": ("192.0.2.222", "subject"),
    "arf/sisimai-arf-24.eml": ("192.0.2.222", "subject"),
    "arf/phpbouncehandler-fbl-hotmail.eml": ("24.64.1.1", "subject"),
    # Subject "74.200.17.xxx"; "from blahblah.com ([12.12.12.12]) by
    # bay0-mc2-f46.Bay0.hotmail.com"
    "arf/phpbouncehandler-hotmailbounce.eml": ("12.12.12.12", "received"),
    # inline form: "from promomail.ganeshaspeaks.com ([72.55.174.206]) by
    # bay0-mc3-f8.Bay0.hotmail.com", below the JMRP's own hop
    "arf/phpbouncehandler-arf6.eml": ("72.55.174.206", "received"),
    # "from 127.0.0.1  (EHLO mx8.example.com) (192.0.2.8) by
    # mta34.mail.g9.yahoo.com"
    "arf/sisimai-arf-02.eml": ("192.0.2.8", "received"),
    # "(EHLO mail.ganeshaspeaks.com) (72.55.174.173) by
    # mta127.mail.ac4.yahoo.com", as X-Originating-IP says
    "arf/phpbouncehandler-arf4.eml": ("72.55.174.173", "received"),
    # "(HELO ourdomain.com) (24.64.1.1) by mta1253.mail.ac4.yahoo.com"
    "arf/phpbouncehandler-fbl-yahoo.eml": ("24.64.1.1", "received"),
}


def line(ok, name, why=""):
    if ok:
        print("ok %s" % name)
    else:
        print("not ok %s: %s" % (name, why))
    sys.stdout.flush()
    return ok


def run(binary, path):
    p = subprocess.run([binary, "arf", "--format", "json", "--zone",
                        "/dev/null", path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


def comparable(out):
    """The JSON of a run, without the clock when it was "now"."""
    try:
        obj = json.loads(out)
    except ValueError:
        return out
    if obj.get("clock") == "now":
        obj.pop("verified_at", None)
    return obj


def got_value(obj, column):
    v = obj.get(column)
    if column == "complaint":
        return "yes" if v is True else "no" if v is False else repr(v)
    if column == "original_has_dkim":
        return {True: "yes", False: "no", None: "-"}.get(v, repr(v))
    if column == "reported_domain":
        if v is None or v == []:
            return "-"
        return ",".join(v) if isinstance(v, list) else repr(v)
    return "-" if v is None else str(v)


def check_row(args, row):
    rel = row["file"]
    kind, base = rel.split("/", 1)
    name = "corpus/%s/%s" % (kind, base[:-4] if base.endswith(".eml")
                              else base)
    path = os.path.join(args.corpus, rel)
    if not os.path.isfile(path):
        return line(False, name + "/run", "%s is missing" % path)
    rc, out, err = run(args.bin, path)
    lines = out.splitlines()
    if rc != 0 or len(lines) != 1:
        return line(False, name + "/run", "exit %d, %d lines, stderr %r"
                    % (rc, len(lines), err[:200]))
    try:
        obj = json.loads(lines[0])
    except ValueError as e:
        return line(False, name + "/run", "not JSON: %s" % e)
    good = line(True, name + "/run")
    for col in COLUMNS:
        want = row[col]
        got = got_value(obj, col)
        good &= line(got == want, "%s/%s" % (name, col),
                     "got '%s', want '%s'" % (got, want))
    got = (obj.get("source_ip"), obj.get("source_ip_derived"))
    if rel in DERIVED:
        good &= line(got == DERIVED[rel], name + "/source_ip_derived",
                     "got %r, want %r" % (got, DERIVED[rel]))
    elif got[1] is not None:
        good &= line(False, name + "/source_ip_derived",
                     "got %r, want no derived address" % (got,))
    if args.asan_bin:
        arc, aout, aerr = run(args.asan_bin, path)
        same = arc == rc and comparable(aout) == comparable(out)
        good &= line(same, "corpus/arf-asan/%s" % base,
                     "exit %d, stderr %r, output %s" % (
                         arc, aerr[-300:], "same" if comparable(aout) ==
                         comparable(out) else "differs"))
    return good


ARRIVAL = "Sun, 22 Nov 2026 10:00:00 +0000"
ARRIVAL_EPOCH = calendar.timegm((2026, 11, 22, 10, 0, 0))
EARLY = "Fri, 20 Nov 2026 10:00:00 +0000"     # a day before t=1795251600
EARLY_EPOCH = calendar.timegm((2026, 11, 20, 10, 0, 0))


def report(original, arrival, third_type, cte=None):
    """An RFC 5965 report (bytes, LF) around original (bytes)."""
    if cte == "base64":
        original = base64.encodebytes(original)
    head = ("From: Feedback <fbl@fbl.isp.example>\n"
            "Date: Sun, 22 Nov 2026 11:00:00 +0000\n"
            "Subject: FW: November offers\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=feedback-report;"
            " boundary=\"R\"\n\n"
            "--R\nContent-Type: text/plain\n\nAn abuse report.\n"
            "--R\nContent-Type: message/feedback-report\n\n"
            "Feedback-Type: abuse\nUser-Agent: Test/1.0\nVersion: 1\n"
            "Arrival-Date: %s\n\n"
            "--R\nContent-Type: %s\n%s\n" % (
                arrival, third_type,
                "Content-Transfer-Encoding: %s\n" % cte if cte else ""))
    return head.encode() + original + b"\n--R--\n"


def sig_summary(obj):
    return [(s.get("d"), s.get("result"), s.get("reason"),
             s.get("header_verified"), s.get("role"), s.get("customer"))
            for s in obj.get("signatures", [])]


def wiring_case(args, name, data, want_orig, want, extra=(),
                clock=("arrival-date", ARRIVAL_EPOCH)):
    path = os.path.join(args.tmp, name + ".eml")
    with open(path, "wb") as f:
        f.write(data)
    p = subprocess.run([args.bin, "arf", "--format", "json", "--zone",
                        os.path.join(args.root, "samples/zones/demo.zone")]
                       + list(extra) + [path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    tag = "arf/verify/" + name
    try:
        obj = json.loads(p.stdout.decode("utf-8", "replace"))
    except ValueError:
        return line(False, tag, "exit %d, not one JSON line: %r" % (
            p.returncode, p.stderr[:200]))
    got = (obj.get("kind"), obj.get("original"), obj.get("clock"),
           obj.get("verified_at"), sig_summary(obj))
    exp = ("arf", want_orig) + tuple(clock) + (want,)
    return line(p.returncode == 0 and got == exp, tag,
                "got %r, want %r" % (got, exp))


def wiring(args):
    with open(os.path.join(args.root, "samples/mail/01-good.eml"),
              "rb") as f:
        good = f.read().replace(b"\r\n", b"\n")    # stored with CRLF
    headers = good.split(b"\n\n", 1)[0] + b"\n"
    both = lambda res, reason, hv, roles=(("unknown", None),
                                          ("unknown", None)): [
        ("fbl.myesp.example", res, reason, hv) + roles[0],
        ("customer.example", res, reason, hv) + roles[1]]
    ok = True
    ok &= wiring_case(args, "rfc822", report(good, ARRIVAL,
                      "message/rfc822"), "rfc822",
                      both("pass", "ok", True))
    ok &= wiring_case(args, "rfc822-crlf", report(good, ARRIVAL,
                      "message/rfc822").replace(b"\n", b"\r\n"), "rfc822",
                      both("pass", "ok", True))
    # Amazon SES forwards complaints with blank lines and an mbox From_
    # line before the original: still the original, verified
    ok &= wiring_case(args, "blank-lines-from-line", report(
                      b"\n\nFrom bounce@fbl.myesp.example Sun Nov 22 "
                      b"10:00:00 2026\n" + good, ARRIVAL, "message/rfc822"),
                      "rfc822", both("pass", "ok", True))
    ok &= wiring_case(args, "base64", report(good, ARRIVAL,
                      "message/rfc822", "base64"), "encoded-rfc822",
                      both("pass", "ok", True))
    ok &= wiring_case(args, "headers", report(headers, ARRIVAL,
                      "text/rfc822-headers"), "headers",
                      both("neutral", "headers-only", True))
    ok &= wiring_case(args, "early-arrival", report(good, EARLY,
                      "message/rfc822"), "rfc822",
                      both("permerror", "future-timestamp", True),
                      clock=("arrival-date", EARLY_EPOCH))
    conf = os.path.join(args.tmp, "roles.conf")
    with open(conf, "w") as f:
        f.write("esp-domain fbl.myesp.example\n"
                "customer acme customer.example\n")
    ok &= wiring_case(args, "roles", report(good, ARRIVAL,
                      "message/rfc822"), "rfc822",
                      both("pass", "ok", True, (("esp", None),
                                                ("customer", "acme"))),
                      extra=("--config", conf))
    ok &= wiring_case(args, "at-option", report(good, EARLY,
                      "message/rfc822"), "rfc822",
                      both("pass", "ok", True),
                      extra=("--at", ARRIVAL),
                      clock=("option", ARRIVAL_EPOCH))
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus")
    ap.add_argument("--bin", required=True)
    ap.add_argument("--asan-bin")
    ap.add_argument("--wiring", action="store_true")
    ap.add_argument("--root")
    ap.add_argument("--tmp")
    args = ap.parse_args()
    if args.wiring:
        return wiring(args)
    if args.asan_bin and not os.access(args.asan_bin, os.X_OK):
        print("skip corpus/arf-asan: %s is not built" % args.asan_bin)
        args.asan_bin = None
    with open(os.path.join(args.corpus, "expected.tsv"), newline="",
              encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t",
                                   quoting=csv.QUOTE_NONE))
    good = True
    for row in rows:
        good &= check_row(args, row)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
