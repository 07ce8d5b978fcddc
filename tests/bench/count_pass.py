#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Count what `fblscope verify --format json` said (JSON Lines: one object a
message, its "signatures" array holding one object a signature with a
"result" word; see docs/verify-json.md).

usage: /usr/bin/python3 count_pass.py FILE...
Prints one line:
    fblscope messages N signatures S passed P
and the first few signatures that did not pass, or lines that are not JSON,
on stderr.
"""
import json
import sys


def main():
    nmsg = nsig = npass = shown = 0
    for path in sys.argv[1:]:
        with open(path, encoding='utf-8', errors='replace') as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                try:
                    obj = json.loads(line)
                except ValueError:
                    if shown < 5:
                        shown += 1
                        print('count_pass: not JSON: %.200s' % line,
                              file=sys.stderr)
                    continue
                nmsg += 1
                for sig in obj.get('signatures') or []:
                    nsig += 1
                    if sig.get('result') == 'pass':
                        npass += 1
                    elif shown < 5:
                        shown += 1
                        print('count_pass: %s signature %s d=%s: %s (%s) %s'
                              % (obj.get('file'), sig.get('index'),
                                 sig.get('d'), sig.get('result'),
                                 sig.get('reason'), sig.get('detail')),
                              file=sys.stderr)
    print('fblscope messages %d signatures %d passed %d'
          % (nmsg, nsig, npass))


if __name__ == '__main__':
    main()
