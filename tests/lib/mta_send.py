#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""mta_send.py: the mail side of tests/integration/mta_pipe.sh.

  mta_send.py report ORIGINAL N OUT
      Write an RFC 5965 feedback report (LF line ends) around the message
      ORIGINAL (a file, e.g. signed by dkimpy); N goes into its Message-ID
      and Subject, so that reports N differ.
  mta_send.py send ADDR PORT RCPT FILE...
      Send each FILE by SMTP to ADDR:PORT (one transaction each, envelope
      from isp@isp.test); print the queue id from each "250 ... queued as
      ID" reply, one a line.
  mta_send.py wait LOG TIMEOUT STATUS ID...
      Wait (at most TIMEOUT seconds) until the Postfix log LOG has a
      delivery line "ID: to=<...> ... status=STATUS" for every ID; print
      those lines.  Exit 1, printing what is missing, on timeout.
  mta_send.py delivered KEPT MAP OUT
      MAP has lines "NAME ID" (a file sent, its queue id); KEPT holds, under
      each queue id, the bytes Postfix's pipe(8) handed over (flag F: a
      From_ line first).  Write OUT/NAME: those bytes without the From_
      line, which is what fblscope stores (docs/sources.md).  Exit 1,
      naming them, when some were never handed over.

Run it with /usr/bin/python3.
"""
import re
import smtplib
import sys
import time


def report(original, n, out):
    with open(original, "rb") as f:
        orig = f.read().replace(b"\r\n", b"\n")
    head = ("From: Feedback <fbl@fbl.isp.example>\n"
            "To: fbl@fbl.test\n"
            "Date: Sun, 22 Nov 2026 11:00:00 +0000\n"
            "Subject: FW: complaint %s\n"
            "Message-ID: <mta-%s@fbl.isp.example>\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=feedback-report;"
            " boundary=\"R\"\n\n"
            "--R\nContent-Type: text/plain\n\nAn abuse report.\n"
            "--R\nContent-Type: message/feedback-report\n\n"
            "Feedback-Type: abuse\nUser-Agent: MtaPipeTest/1.0\n"
            "Version: 1\nArrival-Date: Sun, 22 Nov 2026 10:00:00 +0000\n"
            "Source-IP: 192.0.2.10\n\n"
            "--R\nContent-Type: message/rfc822\n\n" % (n, n))
    with open(out, "wb") as f:
        f.write(head.encode() + orig + b"\n--R--\n")
    return 0


def send(addr, port, rcpt, files):
    s = smtplib.SMTP(addr, int(port), timeout=30)
    try:
        for path in files:
            with open(path, "rb") as f:
                data = f.read()
            s.ehlo_or_helo_if_needed()
            code, msg = s.mail("isp@isp.test")
            if code != 250:
                raise SystemExit("MAIL FROM: %d %r" % (code, msg))
            code, msg = s.rcpt(rcpt)
            if code not in (250, 251):
                raise SystemExit("RCPT TO: %d %r" % (code, msg))
            code, msg = s.data(data)
            m = re.search(rb"queued as ([0-9A-Za-z]+)", msg)
            if code != 250 or m is None:
                raise SystemExit("DATA: %d %r" % (code, msg))
            print(m.group(1).decode())
    finally:
        s.quit()
    return 0


def wait(log, timeout, status, ids):
    end = time.time() + float(timeout)
    found = {}
    want = set(ids)
    line_re = re.compile(r" ([0-9A-Za-z]+): to=<.* status=(\S+) ")
    while True:
        try:
            with open(log, "r", errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            lines = []
        for ln in lines:
            m = line_re.search(ln)
            if m and m.group(1) in want and m.group(2) == status:
                found[m.group(1)] = ln
        if len(found) == len(ids) or time.time() > end:
            break
        time.sleep(0.2)
    for i in ids:
        if i in found:
            print(found[i])
    missing = [i for i in ids if i not in found]
    if missing:
        print("no status=%s for %s" % (status, " ".join(missing)))
        return 1
    return 0


def delivered(kept, map_file, out):
    missing = []
    with open(map_file) as f:
        pairs = [ln.split() for ln in f if ln.strip()]
    for name, qid in pairs:
        try:
            with open("%s/%s" % (kept, qid), "rb") as f:
                data = f.read()
        except OSError:
            missing.append(name)
            continue
        if data.startswith(b"From "):
            nl = data.find(b"\n")
            data = data[nl + 1:] if nl >= 0 else b""
        with open("%s/%s" % (out, name), "wb") as f:
            f.write(data)
    if missing:
        print("never handed over: %s" % " ".join(missing[:10]))
        return 1
    return 0


def main(argv):
    if len(argv) == 4 and argv[0] == "report":
        return report(argv[1], argv[2], argv[3])
    if len(argv) >= 5 and argv[0] == "send":
        return send(argv[1], argv[2], argv[3], argv[4:])
    if len(argv) >= 5 and argv[0] == "wait":
        return wait(argv[1], argv[2], argv[3], argv[4:])
    if len(argv) == 4 and argv[0] == "delivered":
        return delivered(argv[1], argv[2], argv[3])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
