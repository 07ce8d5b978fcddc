#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""damage_gen: the damage set of tests/integration/diagnose_damage.sh.

  damage_gen.py OUTDIR RSA_KEY.pem ED25519_KEY.pem

Writes OUTDIR/NAME.eml for every name of
tests/integration/data/damage/expected.tsv: mail signed by dkimpy
(d=damage.test, s=rsa1 or s=ed1), then damaged the way intermediaries damage
it, by the real software where a Debian package exists (mlmmj for list
tags and footers, altermime for disclaimers, Python's email library for
re-encoding, charset conversion, footer parts and boundaries) and by small
scripts for the rewrites of gateways (Exchange's display names, Date
re-rendering, refolding).  Shares no code with fblscope's diagnosis.
Prints one line per message written; exits 1 when a tool fails.
"""

import base64
import email
import email.encoders
import email.policy
import email.utils
import importlib.util
import os
import quopri
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from email.mime.text import MIMEText

import dkim

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
_spec = importlib.util.spec_from_file_location(
    "dkimpy_tool", os.path.join(ROOT, "tests/interop/dkimpy_tool.py"))
dkimpy_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dkimpy_tool)

DOMAIN = b"damage.test"
HEADERS = [b"from", b"to", b"subject", b"date", b"message-id",
           b"mime-version", b"content-type"]


def crlf(s):
    return s.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def head(subject=b"Winter catalogue", frm=b"Shop <news@example.test>",
         ct=b"text/plain; charset=utf-8", extra=b"", to=b"reader@isp.test"):
    return (b"From: " + frm + b"\n"
            b"To: " + to + b"\n"
            b"Subject: " + subject + b"\n"
            b"Date: Sat, 21 Nov 2026 09:00:00 +0000\n"
            b"Message-ID: <damage-1@example.test>\n" + extra +
            b"MIME-Version: 1.0\n"
            b"Content-Type: " + ct + b"\n")


PLAIN_BODY = ("Dear reader,\n\nthe winter catalogue is out: coats from 80 "
              "\u20ac, boots from 60 \u20ac.\nSee you soon.\n\n-- \n"
              "The shop\n").encode()
HTML_BODY = ("<html><head><title>Winter</title></head><body>\n<p>Dear "
             "reader,</p>\n<p>the winter catalogue is out: coats from 80 "
             "&euro;.</p>\n</body></html>\n").encode()
PDF = base64.b64encode(bytes(range(256)) * 3)


def wrap(b, n):
    return b"\n".join(b[i:i + n] for i in range(0, len(b), n)) + b"\n"


def plain(subject=b"Winter catalogue", extra=b"", to=b"reader@isp.test"):
    return head(subject, extra=extra, to=to) + \
        b"Content-Transfer-Encoding: 8bit\n\n" + PLAIN_BODY


def alternative(to=b"reader@isp.test"):
    return (head(ct=b'multipart/alternative; boundary="alt-1"', to=to) +
            b"\nThis is a multi-part message in MIME format.\n\n"
            b"--alt-1\nContent-Type: text/plain; charset=utf-8\n"
            b"Content-Transfer-Encoding: 8bit\n\n" + PLAIN_BODY +
            b"--alt-1\nContent-Type: text/html; charset=utf-8\n"
            b"Content-Transfer-Encoding: 8bit\n\n" + HTML_BODY +
            b"--alt-1--\n")


def pdf_part(width=76):
    return (b"Content-Type: application/pdf; name=\"cat.pdf\"\n"
            b"Content-Disposition: attachment; filename=\"cat.pdf\"\n"
            b"Content-Transfer-Encoding: base64\n\n" + wrap(PDF, width))


def mixed(text=None, width=76, to=b"reader@isp.test"):
    text = text or (b"Content-Type: text/plain; charset=utf-8\n"
                    b"Content-Transfer-Encoding: 8bit\n\n" + PLAIN_BODY)
    return (head(ct=b'multipart/mixed; boundary="mix-1"', to=to) +
            b"\n--mix-1\n" + text + b"--mix-1\n" + pdf_part(width) +
            b"--mix-1--\n")


def nested():
    return (head(ct=b'multipart/mixed; boundary="mix-2"') +
            b"\n--mix-2\n"
            b'Content-Type: multipart/alternative; boundary="alt-2"\n\n'
            b"--alt-2\nContent-Type: text/plain; charset=utf-8\n"
            b"Content-Transfer-Encoding: 8bit\n\n" + PLAIN_BODY +
            b"--alt-2\nContent-Type: text/html; charset=utf-8\n"
            b"Content-Transfer-Encoding: 8bit\n\n" + HTML_BODY +
            b"--alt-2--\n"
            b"--mix-2\n" + pdf_part() + b"--mix-2--\n")


def latin1_mixed():
    text = (b"Content-Type: text/plain; charset=iso-8859-1\n"
            b"Content-Transfer-Encoding: 8bit\n\n" +
            "Caf\u00e9 cr\u00e8me, cr\u00eape, na\u00efve.\n".encode(
                "latin-1"))
    return mixed(text)


class SentClock:
    """The time module as dkimpy's signer sees it: the Date of the message
    being signed (set by Signer.sign)."""
    SENT = 0

    @staticmethod
    def time():
        return SentClock.SENT


def sent_at(msg):
    """The Date field of msg in seconds since the epoch."""
    for line in split(msg)[0].split(b"\r\n"):
        if line.lower().startswith(b"date:"):
            return int(email.utils.parsedate_to_datetime(
                line[5:].strip().decode()).timestamp())
    raise RuntimeError("no Date in the message")


class Signer:
    def __init__(self, rsa_key, ed_key):
        self.keys = {b"rsa-sha256": dkimpy_tool.load_key(rsa_key,
                                                         b"rsa-sha256"),
                     b"ed25519-sha256": dkimpy_tool.load_key(
                         ed_key, b"ed25519-sha256")}

    def sign(self, msg, canon=b"relaxed/relaxed", alg=b"rsa-sha256",
             headers=None):
        msg = crlf(msg)
        hc, bc = canon.split(b"/")
        d = dkim.DKIM(msg, signature_algorithm=alg, minkey=0)
        sel = b"ed1" if alg == b"ed25519-sha256" else b"rsa1"
        # signed when sent (t= at the Date field): a verifier that goes by
        # the message's own clock, as ingest does, sees no future t=
        SentClock.SENT = sent_at(msg)
        clock, dkim.time = dkim.time, SentClock
        try:
            sig = d.sign(sel, DOMAIN, self.keys[alg], canonicalize=(hc, bc),
                         include_headers=headers or HEADERS)
        finally:
            dkim.time = clock
        return sig + msg


def split(m):
    h, b = m.split(b"\r\n\r\n", 1)
    return h + b"\r\n", b


def sub_header(m, old, new):
    h, b = split(m)
    if old not in h:
        raise RuntimeError("no %r in the header" % old)
    return h.replace(old, new, 1) + b"\r\n" + b


def sub_body(m, old, new):
    h, b = split(m)
    if old not in b:
        raise RuntimeError("no %r in the body" % old)
    return h + b"\r\n" + b.replace(old, new, 1)


def add_field(m, field):
    """A field inserted after the DKIM-Signature (an intermediary's)."""
    h, b = split(m)
    return field + b"\r\n" + h + b"\r\n" + b


# --- real intermediaries ---

class Sink:
    """An SMTP server that keeps what mlmmj sends (Python's smtpd)."""

    def __init__(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import asyncore
            import smtpd
        self.got = []
        got = self.got

        class Server(smtpd.SMTPServer):
            def process_message(self, peer, mailfrom, rcpttos, data, **kw):
                got.append(data)

        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        Server(("127.0.0.1", self.port), None, decode_data=False)
        threading.Thread(target=asyncore.loop, kwargs={"timeout": 0.05},
                         daemon=True).start()


class Mlmmj:
    """A list of one subscriber in a spool directory of our own."""

    def __init__(self, top, name, sink, footer):
        self.dir = os.path.join(top, name)
        for d in ("incoming", "queue", "queue/discarded", "archive", "text",
                  "subconf", "unsubconf", "bounce", "control", "moderation",
                  "subscribers.d", "digesters.d", "requeue", "nomailsubs.d"):
            os.makedirs(os.path.join(self.dir, d), exist_ok=True)
        ctl = os.path.join(self.dir, "control")
        self.put(ctl, "listaddress", name + "@lists.test\n")
        self.put(ctl, "prefix", "[%s]\n" % name)
        self.put(ctl, "relayhost", "127.0.0.1\n")
        self.put(ctl, "smtpport", "%d\n" % sink.port)
        if footer:
            self.put(ctl, "footer", "-- \nThe %s list: to leave it, write "
                     "to %s+unsubscribe@lists.test\n" % (name, name))
        self.put(os.path.join(self.dir, "subscribers.d"), "r",
                 "reader@isp.test\n")
        self.name = name
        self.sink = sink

    @staticmethod
    def put(d, f, text):
        with open(os.path.join(d, f), "w") as fh:
            fh.write(text)

    def post(self, m):
        fd, path = tempfile.mkstemp(dir=self.dir)
        with os.fdopen(fd, "wb") as f:
            f.write(b"Return-Path: <news@example.test>\r\n"
                    b"Delivered-To: " + self.name.encode() +
                    b"@lists.test\r\n" + m)
        n = len(self.sink.got)
        subprocess.run(["/usr/bin/mlmmj-process", "-L", self.dir, "-m",
                        path], check=True)
        for _ in range(100):
            if len(self.sink.got) > n:
                break
            time.sleep(0.05)
        else:
            raise RuntimeError("mlmmj sent nothing")
        out = crlf(self.sink.got[n])
        # the hop's own trace field goes: it is not what is diagnosed
        h, b = split(out)
        lines = [x for x in h.split(b"\r\n") if x and
                 not x.lower().startswith(b"delivered-to:")]
        return b"\r\n".join(lines) + b"\r\n\r\n" + b


def altermime(m, tmp, html=True):
    path = os.path.join(tmp, "alter.eml")
    with open(path, "wb") as f:
        f.write(m)
    with open(os.path.join(tmp, "disc.txt"), "w") as f:
        f.write("This message is confidential. If you are not the "
                "intended recipient, delete it.\n")
    with open(os.path.join(tmp, "disc.html"), "w") as f:
        f.write("<p>This message is confidential.</p>\n")
    args = ["altermime", "--input=" + path,
            "--disclaimer=" + os.path.join(tmp, "disc.txt")]
    if html:
        args += ["--disclaimer-html=" + os.path.join(tmp, "disc.html"),
                 "--force-for-bad-html"]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    with open(path, "rb") as f:
        return crlf(f.read())


# --- Python's email library (a real MIME library) ---

def parse(m):
    return email.message_from_bytes(m, policy=email.policy.compat32)


def flatten(msg):
    import io
    from email.generator import BytesGenerator
    buf = io.BytesIO()
    BytesGenerator(buf, mangle_from_=False, maxheaderlen=0).flatten(msg)
    return crlf(buf.getvalue())


def leaf(msg, path):
    p = msg
    for i in path:
        p = p.get_payload()[i - 1]
    return p


def reencode(m, path, how):
    """Python's email re-encodes one part (its payload decoded first)."""
    msg = parse(m)
    p = leaf(msg, path)
    data = p.get_payload(decode=True)
    del p["Content-Transfer-Encoding"]
    p.set_payload(data)
    if how == "qp":
        email.encoders.encode_quopri(p)
    elif how == "base64":
        email.encoders.encode_base64(p)
    else:
        p["Content-Transfer-Encoding"] = how
    return flatten(msg)


def add_footer_part(m, path=()):
    """What Mailman does to multipart mail: a footer as a new part."""
    msg = parse(m)
    footer = MIMEText("_______________________________________________\n"
                      "News mailing list -- news@lists.test\n"
                      "To unsubscribe send an email to "
                      "news-leave@lists.test\n", "plain", "us-ascii")
    leaf(msg, path).attach(footer)
    return flatten(msg)


def charset_to_utf8(m, path):
    msg = parse(m)
    p = leaf(msg, path)
    text = p.get_payload(decode=True).decode(p.get_content_charset())
    p.set_payload(text.encode("utf-8"))
    p.set_param("charset", "utf-8")
    return flatten(msg)


def new_boundary(m):
    msg = parse(m)
    msg.set_boundary("===============0123456789==")
    return flatten(msg)


def drop_part(m, i):
    msg = parse(m)
    msg.set_payload([p for k, p in enumerate(msg.get_payload(), 1)
                     if k != i])
    return flatten(msg)


def cases(s, tmp):
    sink = Sink()
    tag = Mlmmj(tmp, "news", sink, footer=False)
    foot = Mlmmj(tmp, "talk", sink, footer=True)
    lc = Mlmmj(tmp, "lc", sink, footer=False)
    p = s.sign(plain())
    simple = s.sign(plain(b"Winter catalogue for the whole family, with "
                          b"coats, boots, scarves, gloves and hats, all "
                          b"of them on sale"), b"simple/simple")
    ed = s.sign(plain(), alg=b"ed25519-sha256")
    mx = s.sign(mixed())
    yield "h01-mlmmj-tag", tag.post(s.sign(plain(to=b"news@lists.test")))
    yield "h02-mlmmj-tag-footer", foot.post(s.sign(plain(
        to=b"talk@lists.test")))
    yield "h03-mlmmj-tag-mixed", foot.post(s.sign(mixed(
        to=b"talk@lists.test")))
    yield "h04-tag-removed", sub_header(
        s.sign(plain(b"[news] Winter catalogue",
                     b"List-Id: News <news.lists.test>\n")),
        b"Subject: [news] Winter", b"Subject: Winter")
    yield "h05-re-normalised", sub_header(
        s.sign(plain(b"RE: your order")), b"Subject: RE:", b"Subject: Re:")
    yield "h06-fwd-added", sub_header(p, b"Subject: ", b"Subject: Fwd: ")
    munged = b'From: "Shop via News" <news@lists.test>'
    yield "h07-from-munged-reply-to", add_field(sub_header(
        p, b"From: Shop <news@example.test>", munged),
        b"Reply-To: Shop <news@example.test>")
    yield "h08-from-munged-x-original", add_field(sub_header(
        p, b"From: Shop <news@example.test>", munged),
        b"X-Original-From: Shop <news@example.test>")
    yield "h09-from-munged-cc", add_field(sub_header(
        p, b"From: Shop <news@example.test>", munged),
        b"Cc: Shop <news@example.test>")
    yield "h10-to-display-name", sub_header(
        p, b"To: reader@isp.test", b'To: "Reader, Bob" <reader@isp.test>')
    yield "h11-from-name-quoted", sub_header(
        p, b"From: Shop <", b'From: "Shop" <')
    yield "h12-date-no-day", sub_header(p, b"Date: Sat, ", b"Date: ")
    yield "h13-date-comment", sub_header(p, b"09:00:00 +0000",
                                         b"09:00:00 +0000 (UTC)")
    yield "h14-date-gmt", sub_header(p, b"09:00:00 +0000", b"09:00:00 GMT")
    d1 = s.sign(plain().replace(b"Sat, 21 Nov", b"Sun, 01 Nov"))
    yield "h15-date-day-digit", sub_header(d1, b"Sun, 01 Nov",
                                           b"Sun, 1 Nov")
    yield "h16-simple-refolded", sub_header(
        simple, b"boots, scarves,", b"boots,\r\n scarves,")
    yield "h17-simple-name-case", sub_header(simple, b"\r\nSubject:",
                                             b"\r\nSUBJECT:")
    yield "h18-simple-colon-space", sub_header(simple, b"Subject: ",
                                               b"Subject:")
    rt = s.sign(plain(), headers=HEADERS + [b"reply-to"])
    yield "h19-reply-to-added", add_field(
        rt, b"Reply-To: News <news@lists.test>")
    ct = s.sign(head(ct=b"text/plain; charset=utf-8; format=flowed") +
                b"Content-Transfer-Encoding: 8bit\n\n" + PLAIN_BODY)
    yield "h20-ct-params-order", sub_header(
        ct, b"text/plain; charset=utf-8; format=flowed",
        b'text/plain; format=flowed; charset="utf-8"')
    yield "h21-ct-unquoted", sub_header(s.sign(alternative()),
                                        b'boundary="alt-1"',
                                        b"boundary=alt-1")
    q = s.sign(plain(b"=?UTF-8?Q?Caf=C3=A9_cr=C3=A8me?="))
    yield "h22-ew-q-to-b", sub_header(
        q, b"=?UTF-8?Q?Caf=C3=A9_cr=C3=A8me?=",
        b"=?utf-8?b?" + base64.b64encode("Caf\u00e9 cr\u00e8me".encode())
        + b"?=")
    b = s.sign(plain(b"=?UTF-8?B?" + base64.b64encode(
        "Caf\u00e9 cr\u00e8me".encode()) + b"?="))
    yield "h23-ew-b-to-q", sub_header(
        b, b"=?UTF-8?B?" + base64.b64encode("Caf\u00e9 cr\u00e8me".encode())
        + b"?=", b"=?UTF-8?Q?Caf=C3=A9_cr=C3=A8me?=")
    raw = s.sign(plain("Caf\u00e9 cr\u00e8me".encode()))
    yield "h24-ew-8bit-encoded", sub_header(
        raw, "Caf\u00e9 cr\u00e8me".encode(),
        b"=?utf-8?q?Caf=C3=A9_cr=C3=A8me?=")
    yield "h25-ed-mlmmj-tag", tag.post(s.sign(plain(to=b"news@lists.test"),
                                              alg=b"ed25519-sha256"))
    yield "h26-ed-to-display-name", sub_header(
        ed, b"To: reader@isp.test", b"To: Reader <reader@isp.test>")
    yield "h27-subject-rewritten", sub_header(
        p, b"Subject: Winter catalogue", b"Subject: Winter catalogue -50%")
    yield "h28-list-from-and-tag", add_field(sub_header(
        lc.post(s.sign(plain(to=b"lc@lists.test"))), b"From: Shop <news@example.test>",
        b'From: "Shop via Lc" <lc@lists.test>'),
        b"Reply-To: Shop <news@example.test>")
    ts = s.sign(plain(b"Winter catalogue "), b"simple/simple")
    yield "h29-simple-trailing-space", sub_header(
        ts, b"Subject: Winter catalogue \r\n", b"Subject: Winter catalogue\r\n")

    yield "b01-altermime-plain", altermime(p, tmp)
    yield "b02-altermime-mixed", altermime(mx, tmp)
    yield "b03-altermime-alternative", altermime(s.sign(alternative()), tmp)
    nx = s.sign(nested())
    yield "b04-altermime-nested", altermime(nx, tmp)
    yield "b05-footer-part-mixed", add_footer_part(mx)
    yield "b06-footer-part-nested", add_footer_part(nx)
    yield "b07-reencode-qp", reencode(mx, (1,), "qp")
    yield "b08-reencode-base64", reencode(s.sign(alternative()), (1,),
                                          "base64")
    yield "b09-reencode-nested-html", reencode(nx, (1, 2), "qp")
    yield "b10-rewrap-base64", reencode(s.sign(mixed(width=64)), (2,),
                                        "base64")
    qpm = s.sign(mixed(b"Content-Type: text/plain; charset=utf-8\n"
                       b"Content-Transfer-Encoding: quoted-printable\n\n" +
                       quopri.encodestring(PLAIN_BODY)))
    yield "b11-qp-decoded-8bit", reencode(qpm, (1,), "8bit")
    yield "b12-charset-latin1-utf8", charset_to_utf8(s.sign(latin1_mixed()),
                                                     (1,))
    yield "b14-preamble-removed", sub_body(
        s.sign(alternative()),
        b"This is a multi-part message in MIME format.\r\n\r\n", b"")
    yield "b16-attachment-removed", drop_part(mx, 2)
    yield "b17-boundary-rewritten", new_boundary(mx)
    yield "b18-word-changed", sub_body(mx, b"coats from 80",
                                       b"coats from 90")
    yield "b19-ed-altermime-mixed", altermime(
        s.sign(mixed(), alg=b"ed25519-sha256"), tmp)
    yield "b20-reencode-nested-base64", reencode(nx, (1, 1), "base64")
    yield "b21-mlmmj-footer-alternative", foot.post(s.sign(alternative(
        b"talk@lists.test")))


def main():
    if len(sys.argv) != 4:
        sys.stderr.write("usage: damage_gen.py OUTDIR RSA_KEY ED_KEY\n")
        return 2
    out = sys.argv[1]
    s = Signer(sys.argv[2], sys.argv[3])
    tmp = tempfile.mkdtemp(prefix="damage-gen.")
    try:
        for name, m in cases(s, tmp):
            with open(os.path.join(out, name + ".eml"), "wb") as f:
                f.write(m)
            print(name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
