#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Benchmark harness: verify every DKIM signature of the listed messages with
dkimpy (Debian's python3-dkim), in one process, keys from a zone file.

usage: /usr/bin/python3 dkimpy_bench.py ZONE LIST [COUNT]

LIST holds one message file name a line (relative to the current directory);
only the first COUNT are verified when COUNT is given.  Prints one line:
    dkimpy messages N signatures S passed P seconds T
where T is the CPU time of the verification loop (reading the files
included, interpreter start-up and zone loading excluded).  The first few
failures go to stderr.  Run it under `taskset -c N` to pin it to one core.
"""
import re
import sys
import time

import dkim

TXT_LINE = re.compile(r'(\S+)\s+\d+\s+IN\s+TXT\s+(.*)$')
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def load_zone(path):
    """Map lower-case absolute owner name -> first TXT record (bytes, the
    character-strings joined), for the master-format subset gen.c writes."""
    recs = {}
    with open(path, encoding='ascii') as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith(';'):
                continue
            m = TXT_LINE.match(line)
            if m is None:
                raise ValueError('unsupported zone line: %r' % line)
            name = m.group(1).lower()
            data = ''.join(re.sub(r'\\(.)', r'\1', s)
                           for s in STRING.findall(m.group(2)))
            recs.setdefault(name, data.encode('ascii'))
    return recs


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    recs = load_zone(sys.argv[1])
    with open(sys.argv[2], encoding='ascii') as f:
        files = [l.strip() for l in f if l.strip()]
    if len(sys.argv) == 4:
        files = files[:int(sys.argv[3])]

    def dnsfunc(name, timeout=5):
        n = name.decode('ascii') if isinstance(name, bytes) else name
        n = n.lower()
        if not n.endswith('.'):
            n += '.'
        return recs.get(n)

    nsig = npass = shown = 0
    t0 = time.process_time()
    for fn in files:
        with open(fn, 'rb') as f:
            msg = f.read()
        d = dkim.DKIM(msg)
        count = sum(1 for h in d.headers if h[0].lower() == b'dkim-signature')
        for idx in range(count):
            nsig += 1
            try:
                ok = d.verify(idx=idx, dnsfunc=dnsfunc)
            except dkim.DKIMException as e:
                ok = False
                why = '%s: %s' % (type(e).__name__, e)
            else:
                why = 'did not verify'
            if ok:
                npass += 1
            elif shown < 5:
                shown += 1
                print('dkimpy: %s signature %d: %s' % (fn, idx + 1, why),
                      file=sys.stderr)
    t = time.process_time() - t0
    print('dkimpy messages %d signatures %d passed %d seconds %.3f'
          % (len(files), nsig, npass, t))


if __name__ == '__main__':
    main()
