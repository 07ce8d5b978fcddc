#!/bin/sh
# SPDX-License-Identifier: ISC
# diagnose_damage.sh: `verify --explain` names the damage real intermediaries
# do, on a damage set it shares no code with.
#
# tests/lib/damage_gen.py signs mail with dkimpy and damages it with mlmmj,
# altermime, Python's email library and gateway-style scripts; the expected
# cause of each message (tests/integration/data/damage/expected.tsv) was
# written before the diagnosis code.  Asserted: at least 90 % named with the
# right field, part and transform; none called changed ("body-changed",
# "headers-changed") when a transform was expected; the figure is printed.
. "$(dirname "$0")/../lib/common.sh"
. "$FBL_ROOT/tests/lib/keys.sh"

T=$FBL_TMP
EXPECTED=$FBL_ROOT/tests/integration/data/damage/expected.tsv

for c in altermime /usr/bin/mlmmj-process; do
	need_cmd "$c" || [ -x "$c" ] ||
		{ skip diagnose_damage "$c not installed (tests/lib/deps.sh)"; exit 0; }
done
key_r=$(keys_gen rsa 2048 damage-rsa) || { not_ok damage/keys "keygen"; exit 1; }
key_e=$(keys_gen ed25519 0 damage-ed) || { not_ok damage/keys "keygen"; exit 1; }
{
	keys_zoneline rsa1._domainkey.damage.test. "$(keys_record "$key_r")"
	keys_zoneline ed1._domainkey.damage.test. "$(keys_record "$key_e")"
} > "$T/damage.zone"
mkdir -p "$T/mail"
if ! "$PYTHON" "$FBL_ROOT/tests/lib/damage_gen.py" "$T/mail" "$key_r" \
    "$key_e" > "$T/gen.out" 2> "$T/gen.err"; then
	not_ok damage/generate "damage_gen.py: $(tail -3 "$T/gen.err")"
	exit 1
fi
check_eq damage/generated "$(wc -l < "$T/gen.out" | tr -d ' ')" \
    "$(grep -c '^[a-z]' "$EXPECTED")" "one message per expectation"

: > "$T/got.tsv"
for f in "$T"/mail/*.eml; do
	n=$(basename "$f" .eml)
	"$FBL_BIN" verify --zone "$T/damage.zone" --explain --format json "$f" \
	    > "$T/$n.json" 2> "$T/$n.err"
	"$PYTHON" - "$n" "$T/$n.json" >> "$T/got.tsv" <<'PY'
import json, sys
name = sys.argv[1]
try:
    msg = json.load(open(sys.argv[2]))
    d = msg["signatures"][0]["diagnosis"] or {}
except (ValueError, KeyError, IndexError) as e:
    print("%s\tbad-json\t-\t-\t-" % name)
    sys.exit(0)
body = d.get("body") or {}
hdr = d.get("header") or {}
mime = body.get("mime") or []
rew = sorted(hdr.get("rewritten") or [], key=lambda r: r["field"].lower())
cause = d.get("cause", "none")
if cause == "header-field-rewritten":
    where = ",".join(r["field"].lower() for r in rew) or "-"
    xf = ",".join(r["transform"] for r in rew) or "-"
elif cause.startswith("mime-part") or cause in ("mime-text-appended",
                                                "mime-charset-converted"):
    where = ",".join(p["path"] for p in mime) or "-"
    xf = ",".join(p["transform"] for p in mime) or "-"
else:
    where = xf = "-"
also = "-"
if cause != "header-field-rewritten" and rew:
    also = ",".join("%s:%s" % (r["field"].lower(), r["transform"])
                    for r in rew)
print("\t".join([name, cause, where, xf, also]))
PY
done

"$PYTHON" - "$EXPECTED" "$T/got.tsv" > "$T/verdicts" <<'PY'
import sys
want = {}
for line in open(sys.argv[1]):
    if line.startswith("#") or not line.strip():
        continue
    f = line.rstrip("\n").split("\t")
    want[f[0]] = f[1:]
got = {}
for line in open(sys.argv[2]):
    f = line.rstrip("\n").split("\t")
    got[f[0]] = f[1:]
right = 0
changed_wrongly = []
for name in sorted(want):
    w, g = want[name], got.get(name, ["missing", "-", "-", "-"])
    if w == g:
        right += 1
        print("ok damage/%s" % name)
    else:
        print("diff damage/%s: want %s, got %s" % (name, "|".join(w),
                                                  "|".join(g)))
    if g[0] in ("body-changed", "headers-changed") and \
            w[0] not in ("body-changed", "headers-changed"):
        changed_wrongly.append(name)
print("figure %d %d" % (right, len(want)))
print("changed-wrongly %s" % (",".join(changed_wrongly) or "-"))
PY
grep '^diff ' "$T/verdicts" | sed 's/^diff /  /' >&2
right=$(awk '$1 == "figure" { print $2 }' "$T/verdicts")
total=$(awk '$1 == "figure" { print $3 }' "$T/verdicts")
echo "diagnose_damage: $right of $total named with the right cause, field," \
    "part and transform" >&2
if [ $((right * 100)) -ge $((total * 90)) ]; then
	ok "damage/named-90-percent ($right/$total)"
else
	not_ok damage/named-90-percent "$right of $total"
fi
check_eq damage/none-changed-wrongly \
    "$(awk '$1 == "changed-wrongly" { print $2 }' "$T/verdicts")" "-" \
    "called changed although a transform was expected"
fbl_done
exit $?
