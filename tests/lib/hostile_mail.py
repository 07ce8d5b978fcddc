#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""hostile_mail.py: messages built to cost a verifier time, memory or
output, for tests/integration/hostile_explain.sh (issue 11, item 4).

    /usr/bin/python3 hostile_mail.py OUTDIR BIGFIELD_MB

writes, for the key sel._domainkey.example.com (the caller's zone):
  bigfield.eml  one header field of BIGFIELD_MB MiB, signed by 32
                DKIM-Signature fields (h=x-big:from) whose b= is random:
                every signature fails and is diagnosed;
  zmillion.eml  one signature whose z= holds a million entries, over a
                message of 2,000 fields: the z= comparison of the diagnosis;
  hdup.eml      one signature whose h= names x-dup 256 times, over 10,000
                fields of that name (the top-down trial of the diagnosis).
"""
import base64
import os
import random
import sys

out, mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(20261206)
b = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(256)))
BH = b'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='


def sig(h, extra=b''):
    return (b'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; '
            b'd=example.com; s=sel; h=' + h + b'; bh=' + BH + b'; ' + extra +
            b'b=' + b + b'\r\n')


with open(os.path.join(out, 'bigfield.eml'), 'wb') as f:
    f.write(sig(b'x-big:from') * 32)
    f.write(b'X-Big: ' + b'a' * (mb << 20) + b'\r\n')
    f.write(b'From: a@example.com\r\n\r\nbody\r\n')

z = b'|'.join(b'X-F%d:=20v' % i for i in range(1000000))
with open(os.path.join(out, 'zmillion.eml'), 'wb') as f:
    f.write(sig(b'from', b'z=' + z + b'; '))
    f.write(b''.join(b'X-F%d: w\r\n' % i for i in range(2000)))
    f.write(b'From: a@example.com\r\n\r\nbody\r\n')

with open(os.path.join(out, 'hdup.eml'), 'wb') as f:
    f.write(sig(b':'.join([b'x-dup'] * 255 + [b'from'])))
    f.write(b'X-Dup: v\r\n' * 9000)
    f.write(b'From: a@example.com\r\n\r\nbody\r\n')
