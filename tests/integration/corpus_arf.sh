#!/bin/sh
# SPDX-License-Identifier: ISC
# corpus_arf.sh: `fblscope arf` over the feedback-report corpus
# ($FBL_CORPUS/arf, $FBL_CORPUS/not-arf) against $FBL_CORPUS/expected.tsv,
# and what it hands to the verifier.
#
# 1. "arf/verify/CASE": reports built around samples/mail/01-good.eml (keys
#    in samples/zones/demo.zone): the original passes as rfc822 (LF, CRLF)
#    and base64, is neutral/headers-only as text/rfc822-headers, is checked
#    as of the Arrival-Date (a day before t= is future-timestamp) or --at,
#    and takes its token roles from --config.
# 2. One line per corpus row and column, e.g.
#    "corpus/arf/sisimai-arf-01/original": complaint, feedback_type,
#    reporter, original, original_has_dkim and reported_domain ("-" =
#    absent), plus ".../run" (exit status 0, one JSON line).  Every not-arf
#    row must say complaint false.  No DNS: --zone /dev/null (the corpus
#    signatures cannot verify anyway).  The ASan+UBSan build runs every file
#    too ("corpus/arf-asan/FILE", same output).
# The table and the messages are only read; see tests/lib/corpus_arf.py.

. "$(dirname "$0")/../lib/common.sh"

HELPER=$FBL_ROOT/tests/lib/corpus_arf.py
rc=0

if [ ! -x "$FBL_BIN" ]; then
	not_ok arf "$FBL_BIN is not built"
	exit 1
fi

"$PYTHON" "$HELPER" --wiring --root "$FBL_ROOT" --tmp "$FBL_TMP" \
    --bin "$FBL_BIN" || rc=1

if ! have_corpus || [ ! -f "$FBL_CORPUS/expected.tsv" ]; then
	skip corpus/arf "no corpus"
	exit $rc
fi
"$PYTHON" "$HELPER" --corpus "$FBL_CORPUS" --bin "$FBL_BIN" \
    --asan-bin "$FBL_ASAN_BIN" || rc=1
exit $rc
