#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""interop_sigs.py: flatten `fblscope verify --format json` output for shell
tests.

Reads JSON Lines (one object per message) on standard input and prints one
tab-separated line per message and per signature:

  msg  FILE  RESULT  NSIGS
  sig  FILE  INDEX  RESULT  REASON  HEADER_VERIFIED  BODY_VERIFIED  A  C  D  S  KEY_BITS

FILE is the base name of the object's "file"; booleans print as true/false,
null and missing members as "-".  A line that is not a JSON object prints
"bad  -  <first 60 characters>" so that the caller sees it instead of losing
it.  Exits 0 (the caller judges the contents).
"""

import json
import os
import sys


def word(v):
    if v is None:
        return "-"
    if v is True:
        return "true"
    if v is False:
        return "false"
    s = str(v)
    return s.replace("\t", " ").replace("\n", " ") if s else "-"


def main():
    for raw in sys.stdin.buffer:
        line = raw.decode("utf-8", "replace").strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("not an object")
        except ValueError:
            print("bad\t-\t%s" % word(line[:60]))
            continue
        name = os.path.basename(str(obj.get("file", "-"))) or "-"
        sigs = obj.get("signatures")
        if not isinstance(sigs, list):
            sigs = []
        print("msg\t%s\t%s\t%d" % (name, word(obj.get("result")), len(sigs)))
        for i, s in enumerate(sigs, 1):
            if not isinstance(s, dict):
                s = {}
            print("\t".join(["sig", name, word(s.get("index", i)),
                             word(s.get("result")), word(s.get("reason")),
                             word(s.get("header_verified")),
                             word(s.get("body_verified")),
                             word(s.get("a")), word(s.get("c")),
                             word(s.get("d")), word(s.get("s")),
                             word(s.get("key_bits"))]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
