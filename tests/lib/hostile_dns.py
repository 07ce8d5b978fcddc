#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""hostile_dns.py: a DNS server that answers the way an attacker who owns a
signing domain can, for tests/integration/hostile_dns.sh (issue 11, items 2
and 3).  It is the attacker, not a stand-in for a real server: a real
authoritative server (NSD) will not send most of these answers.

    /usr/bin/python3 hostile_dns.py ADDR PORT LOGFILE [EVERY]

Serves UDP and TCP on ADDR:PORT until killed; every question received is
appended to LOGFILE as "udp|tcp QNAME QTYPE" (the tests count them).  With
EVERY, every question, whatever its name, is answered as the label EVERY
below says (silent, servfail, refused: a server or resolver that is down
in one of these ways, for tests/integration/keys_audit.sh).  Otherwise the
first label of the question under hostile.example decides the answer:

  empty60k   one TXT record of 60,000 empty character-strings (TC over UDP,
             the whole answer over TCP)
  manyrr     150 TXT records
  silent*    no answer at all, over UDP or TCP (a black hole)
  tcsilent*  UDP says TC; TCP accepts and never answers
  formerr*   FORMERR to a query with EDNS; no answer without it
  servfail*  SERVFAIL, over UDP or TCP
  refused*   REFUSED, over UDP or TCP
  loopa/loopb  CNAME to each other
  plain*     one ordinary TXT record (a revoked key), the baseline
  anything else: NXDOMAIN
"""
import socket
import struct
import sys
import threading

ADDR, PORT, LOG = sys.argv[1], int(sys.argv[2]), sys.argv[3]
EVERY = sys.argv[4] if len(sys.argv) > 4 else None
lock = threading.Lock()


def log(proto, qname, qtype):
    with lock, open(LOG, 'a') as f:
        f.write('%s %s %d\n' % (proto, qname, qtype))


def parse_question(q):
    off, labels = 12, []
    while q[off] != 0:
        n = q[off]
        labels.append(q[off + 1:off + 1 + n].decode('ascii', 'replace'))
        off += 1 + n
    qtype = struct.unpack('!H', q[off + 1:off + 3])[0]
    qend = off + 5
    edns = struct.unpack('!H', q[10:12])[0] > 0
    return '.'.join(labels).lower(), qtype, q[12:qend], edns


def header(q, flags, an, ns=0, ar=0):
    return q[:2] + struct.pack('!HHHHH', flags, 1, an, ns, ar)


def rr(rtype, rdata):
    return b'\xc0\x0c' + struct.pack('!HHIH', rtype, 1, 300, len(rdata)) + rdata


def answer(q, proto):
    qname, qtype, question, edns = parse_question(q)
    log(proto, qname, qtype)
    first = EVERY or qname.split('.')[0]
    rd = q[2] & 0x01
    base = 0x8400 | (rd << 8)          # QR, AA, RD as asked
    if first == 'empty60k':
        if proto == 'udp':
            return header(q, base | 0x0200, 0) + question
        return header(q, base, 1) + question + rr(16, b'\x00' * 60000)
    if first == 'manyrr':
        recs = b''.join(rr(16, b'\x0bv=DKIM1; p=') for _ in range(150))
        if proto == 'udp':
            return header(q, base | 0x0200, 0) + question
        return header(q, base, 150) + question + recs
    if first.startswith('silent'):
        return None
    if first.startswith('tcsilent'):
        return header(q, base | 0x0200, 0) + question if proto == 'udp' else None
    if first.startswith('formerr'):
        return header(q, base | 1, 0) + question if edns else None
    if first.startswith('servfail'):
        return header(q, base | 2, 0) + question
    if first.startswith('refused'):
        return header(q, base | 5, 0) + question
    if first.startswith('plain'):
        return header(q, base, 1) + question + rr(16, b'\x12v=DKIM1; k=rsa; p=')
    if first in ('loopa', 'loopb'):
        other = b'loopb' if first == 'loopa' else b'loopa'
        target = (bytes([len(other)]) + other + b'\x0a_domainkey\x07hostile'
                  b'\x07example\x00')
        return header(q, base, 1) + question + rr(5, target)
    return header(q, base | 3, 0) + question


def udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((ADDR, PORT))
    while True:
        q, peer = s.recvfrom(4096)
        try:
            a = answer(q, 'udp')
        except Exception:
            continue
        if a is not None:
            s.sendto(a, peer)


def tcp_client(c):
    held = []
    try:
        while True:
            n = c.recv(2)
            if len(n) < 2:
                return
            q = b''
            want = struct.unpack('!H', n)[0]
            while len(q) < want:
                chunk = c.recv(want - len(q))
                if not chunk:
                    return
                q += chunk
            a = answer(q, 'tcp')
            if a is None:
                held.append(c)        # keep it open, say nothing
                continue
            c.sendall(struct.pack('!H', len(a)) + a)
    except OSError:
        return


def tcp():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((ADDR, PORT))
    s.listen(64)
    while True:
        c, _ = s.accept()
        threading.Thread(target=tcp_client, args=(c,), daemon=True).start()


threading.Thread(target=tcp, daemon=True).start()
udp()
