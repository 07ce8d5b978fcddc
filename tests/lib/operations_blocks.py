#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""operations_blocks.py: the blocks of docs/operations.md that a test runs,
in page order, rewritten for a scratch installation.

  operations_blocks.py PAGE OUTDIR ROOT PGPORT FBL_ROOT

Writes OUTDIR/NN.sh for each ```sh block and OUTDIR/NN.sql for the ```sql
block after the marker "operations-test: roles-setup" (other sql blocks are
statements for psql sessions the sh blocks open), and prints one line per
block: "NN sh" or "NN sql", or "NN skip WHY" for a block after a marker
"operations-test: skip WHY".  The rewriting, the same for every block:
/etc/, /var/ and /usr/local/ move under ROOT; host=db.internal.example is
127.0.0.1 at PGPORT; `make install` runs in FBL_ROOT with DESTDIR=ROOT.
"""
import os, re, sys

page, out, root, port, src = sys.argv[1:6]
os.makedirs(out, exist_ok=True)

def rewrite(text):
    text = re.sub(r'(?<![\w.])/(etc|var|usr/local)/', root + r'/\1/', text)
    text = text.replace('host=db.internal.example',
                        'host=127.0.0.1 port=' + port)
    text = re.sub(r'^make install\b',
                  'make -s -C "%s" install DESTDIR="%s"' % (src, root),
                  text, flags=re.M)
    return text

lines = open(page, encoding='utf-8').read().split('\n')
n = 0
marker = None
i = 0
while i < len(lines):
    m = re.match(r'<!-- operations-test: (.*?) -->', lines[i])
    if m:
        marker = m.group(1)
        i += 1
        continue
    m = re.match(r'^```(\w*)\s*$', lines[i])
    if not m:
        if lines[i].strip():
            marker = None if not lines[i].startswith('<!--') else marker
        i += 1
        continue
    lang = m.group(1)
    j = i + 1
    while j < len(lines) and not lines[j].startswith('```'):
        j += 1
    body = '\n'.join(lines[i + 1:j]) + '\n'
    i = j + 1
    if lang not in ('sh', 'sql'):
        marker = None
        continue
    if lang == 'sql' and marker != 'roles-setup':
        marker = None
        continue
    n += 1
    name = '%02d' % n
    if marker is not None and marker.startswith('skip'):
        print(name, 'skip', marker[4:].strip(' :'))
    else:
        open(os.path.join(out, name + '.' + lang), 'w').write(rewrite(body))
        print(name, lang)
    marker = None
