#!/bin/sh
# SPDX-License-Identifier: ISC
# mailbox_gen.sh: the generated feedback-loop mailbox (samples/mailbox.sh,
# samples/gen_mailbox.c) is what its manifest says it is.
#
# - the manifest has one row per message, and exactly the requested number of
#   each category (the shares of samples/README.md);
# - the Maildir and the mbox hold the same messages (mboxrd unquoted);
# - a sample of each category parses as the manifest says
#   (`fblscope arf --format json`: kind, feedback_type, reporter, original
#   form, and the result + reason of the customer and ESP signatures);
# - the originals of that sample, cut out of the reports here (not by
#   fblscope), verify as the manifest says with `fblscope verify --zone
#   keys.zone --at ARRIVAL`, and with archived-keys.zone too as its
#   *_archived columns say;
# - two runs give the same bytes (cksum), keys included (each run makes its
#   own); another seed gives another mailbox.
#
# FBL_MAILBOX_N sets the size (default 400; the generator's default is 10000).
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
N=${FBL_MAILBOX_N:-400}
PER_CAT=${FBL_MAILBOX_SAMPLE:-6}

if ! need_cmd cc pkg-config || ! pkg-config --exists libcrypto; then
	skip mailbox_gen "cc, pkg-config or libcrypto's development files missing"
	exit 0
fi
if [ ! -x "$PYTHON" ]; then
	skip mailbox_gen "$PYTHON missing"
	exit 0
fi

if ! sh "$FBL_ROOT/samples/mailbox.sh" "$T/a" "$N" 1 2> "$T/gen-a.err"; then
	not_ok mailbox_gen/generate "$(tail -n 3 "$T/gen-a.err")"
	exit 1
fi
ok mailbox_gen/generate
sh "$FBL_ROOT/samples/mailbox.sh" "$T/b" "$N" 1 2> "$T/gen-b.err" ||
    not_ok mailbox_gen/generate-again "$(tail -n 3 "$T/gen-b.err")"
sh "$FBL_ROOT/samples/mailbox.sh" "$T/c" "$N" 2 2> "$T/gen-c.err" ||
    not_ok mailbox_gen/generate-seed2 "$(tail -n 3 "$T/gen-c.err")"

A=$T/a
M=$A/manifest.tsv

# --- counts -------------------------------------------------------------

check_eq mailbox_gen/rows "$(($(wc -l < "$M") - 1))" "$N"
check_eq mailbox_gen/maildir-files "$(ls "$A/Maildir/new" | wc -l | tr -d ' ')" "$N"
check_eq mailbox_gen/mbox-separators \
    "$(grep -c '^From fbl-reports@myesp.example ' "$A/mailbox.mbox")" "$N"

# The shares of samples/README.md: n * pct / 100 rounded down, complaints
# take the rest.
want_ho=$((N * 12 / 100))
want_red=$((N * 20 / 100))
want_rot=$((N * 4 / 100))
want_forg=$((N * 4 / 100))
want_garb=$((N * 5 / 100))
want_comp=$((N - want_ho - want_red - want_rot - want_forg - want_garb))
count() {
	awk -F'\t' -v c="$1" 'NR > 1 && $2 == c { n++ } END { print n + 0 }' "$M"
}
check_eq mailbox_gen/count-complaint "$(count complaint)" "$want_comp"
check_eq mailbox_gen/count-headers-only "$(count headers-only)" "$want_ho"
check_eq mailbox_gen/count-redacted "$(count redacted)" "$want_red"
check_eq mailbox_gen/count-rotated "$(count rotated)" "$want_rot"
check_eq mailbox_gen/count-forged "$(count forged)" "$want_forg"
check_eq mailbox_gen/count-garbage "$(count garbage)" "$want_garb"
check_eq mailbox_gen/customers \
    "$(grep -c '^customer[[:space:]]*cust-[0-9][0-9] customer[0-9][0-9]\.example$' "$A/fblscope.conf")" 50
check_eq mailbox_gen/published-keys \
    "$(grep -c '\._domainkey\..* IN TXT ' "$A/keys.zone")" 102
check_eq mailbox_gen/archived-keys \
    "$(grep -c '^sep2026\.myesp\._domainkey\..* IN TXT ' "$A/archived-keys.zone")" 51
check_eq mailbox_gen/no-sep-key-published \
    "$(grep -c '^sep2026' "$A/keys.zone")" 0

# --- determinism ----------------------------------------------------------

sums() {
	(cd "$1" && cksum manifest.tsv mailbox.mbox keys.zone \
	    archived-keys.zone fblscope.conf && ls Maildir/new |
	    while read -r f; do cksum "Maildir/new/$f"; done)
}
sums "$T/a" > "$T/sums-a"
sums "$T/b" > "$T/sums-b"
if cmp -s "$T/sums-a" "$T/sums-b"; then
	ok mailbox_gen/deterministic
else
	not_ok mailbox_gen/deterministic "$(diff "$T/sums-a" "$T/sums-b" | head -n 3)"
fi
if cmp -s "$T/a/mailbox.mbox" "$T/c/mailbox.mbox"; then
	not_ok mailbox_gen/seed-matters "seeds 1 and 2 gave the same mbox"
else
	ok mailbox_gen/seed-matters
fi

# --- a sample, checked against fblscope -----------------------------------

cat > "$T/check.py" <<'EOF'
import json, os, subprocess, sys

out, fbl, per_cat, tmp = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
lines = open(os.path.join(out, 'manifest.tsv'), encoding='utf-8').read().splitlines()
head = lines[0].split('\t')
rows = [dict(zip(head, l.split('\t'))) for l in lines[1:]]
maildir = os.path.join(out, 'Maildir', 'new')
problems = {}

def bad(test, what):
    problems.setdefault(test, []).append(what)

# The mbox holds the Maildir's messages, in manifest order (mboxrd).
data = open(os.path.join(out, 'mailbox.mbox'), 'rb').read()
msgs, cur = [], None
for line in data.splitlines(keepends=True):
    if line.startswith(b'From fbl-reports@myesp.example ') and \
       (cur is None or cur == [] or cur[-1] == b'\n'):
        if cur is not None:
            msgs.append(cur)
        cur = []
        continue
    s = line.lstrip(b'>')
    if s.startswith(b'From ') and line.startswith(b'>'):
        line = line[1:]
    cur.append(line)
if cur is not None:
    msgs.append(cur)
if len(msgs) != len(rows):
    bad('mbox-same-messages', '%d mbox messages, %d rows' % (len(msgs), len(rows)))
for r, m in zip(rows, msgs):
    body = b''.join(m[:-1])            # the last line is the blank separator
    want = open(os.path.join(maildir, r['file']), 'rb').read()
    if want and not want.endswith(b'\n'):
        want += b'\n'                  # the writer ends every message in LF
    if body != want:
        bad('mbox-same-messages', r['file'])

# The first PER_CAT rows of each category and garbage variant.
seen, sample = {}, []
for r in rows:
    k = (r['category'], r['variant'] if r['category'] in ('garbage', 'forged') else '')
    if seen.get(k, 0) < per_cat:
        seen[k] = seen.get(k, 0) + 1
        sample.append(r)

def sigs(objs):
    got = {'cust': ('none', 'absent'), 'esp': ('none', 'absent')}
    for s in objs or []:
        got['esp' if s['d'] == 'fbl.myesp.example' else 'cust'] = (s['result'], s['reason'])
    return got

p = subprocess.run([fbl, 'arf', '--format', 'json', '--config',
                    os.path.join(out, 'fblscope.conf'), '--zone',
                    os.path.join(out, 'keys.zone')] +
                   [os.path.join(maildir, r['file']) for r in sample],
                   capture_output=True)
parsed = {}
for line in p.stdout.decode('utf-8', 'replace').splitlines():
    o = json.loads(line)
    parsed[os.path.basename(o['file'])] = o
for r in sample:
    o = parsed.get(r['file'])
    if o is None:
        if r['kind'] != 'unparseable':
            bad('arf', '%s (%s): no record' % (r['file'], r['category']))
        continue
    got = {'kind': o['kind'], 'feedback_type': o['feedback_type'] or '-',
           'reporter': o['reporter'] or '-', 'original_form': o['original'] or '-'}
    if r['kind'] == 'arf':
        g = sigs(o.get('signatures'))
        got['cust_result'], got['cust_reason'] = g['cust']
        got['esp_result'], got['esp_reason'] = g['esp']
        for s in o.get('signatures') or []:
            if s['d'] == r['customer_domain'] and r['category'] != 'forged' and \
               s.get('customer') != r['customer']:
                bad('arf', '%s: customer %s, want %s' % (r['file'], s.get('customer'), r['customer']))
    for k, v in got.items():
        if r[k] != v:
            bad('arf', '%s (%s): %s %s, want %s' % (r['file'], r['category'], k, v, r[k]))

# The originals, cut out here: the part after the feedback-report part, up to
# the CRLF that belongs to the next delimiter.
def original(raw):
    hdr, _, rest = raw.partition(b'\r\n\r\n')
    i = hdr.find(b'boundary="')
    b = hdr[i + 10:hdr.index(b'"', i + 10)]
    for part in rest.split(b'\r\n--' + b):
        ph, sep, content = part.partition(b'\r\n\r\n')
        if b'Content-Type: message/rfc822' in ph:
            return content + b'\r\n'
        if b'Content-Type: text/rfc822-headers' in ph:
            return content
    return None

def verify(path, zones, at):
    args = [fbl, 'verify', '--format', 'json', '--at', at]
    for z in zones:
        args += ['--zone', z]
    q = subprocess.run(args + [path], capture_output=True)
    return json.loads(q.stdout.decode('utf-8', 'replace').splitlines()[0])

zone = os.path.join(out, 'keys.zone')
arch = os.path.join(out, 'archived-keys.zone')
for r in sample:
    if r['kind'] != 'arf':
        continue
    orig = original(open(os.path.join(maildir, r['file']), 'rb').read())
    if orig is None:
        bad('verify', '%s: no original found' % r['file'])
        continue
    path = os.path.join(tmp, r['file'] + '.eml')
    open(path, 'wb').write(orig)
    for suffix, zones in (('', [zone]), ('_archived', [zone, arch])):
        o = verify(path, zones, r['arrival_epoch'])
        if (o['has_body'] is False) != (r['original_form'] == 'headers'):
            bad('verify', '%s: has_body %s' % (r['file'], o['has_body']))
        g = sigs(o.get('signatures'))
        for who in ('cust', 'esp'):
            want = (r[who + '_result' + suffix], r[who + '_reason' + suffix])
            if g[who] != want:
                bad('verify' + suffix, '%s (%s) %s: %s/%s, want %s/%s' %
                    ((r['file'], r['category'], who) + g[who] + want))

# An independent verifier (dkimpy, when installed) agrees on the passes.
try:
    import dkim, re
    recs = {}
    for m in re.finditer(r'^(\S+)\. \d+ IN TXT \((.*?)\)\s*$',
                         open(zone).read(), re.M):
        recs[m.group(1)] = ''.join(re.findall(r'"([^"]*)"', m.group(2))).encode()
    def dnsfunc(name, timeout=5):
        return recs.get(name.decode().rstrip('.'))
    n = 0
    for r in sample:
        if r['category'] != 'complaint' or r['kind'] != 'arf':
            continue
        path = os.path.join(tmp, r['file'] + '.eml')
        d = dkim.DKIM(open(path, 'rb').read())
        for k in range(2):
            if not d.verify(idx=k, dnsfunc=dnsfunc):
                bad('dkimpy', '%s: signature %d does not verify' % (r['file'], k + 1))
        n += 1
    if n == 0:
        bad('dkimpy', 'no complaint in the sample')
    tests_extra = ['dkimpy']
except ImportError:
    print('skip mailbox_gen/dkimpy: python3-dkim not installed')
    tests_extra = []

for t in ['mbox-same-messages', 'arf', 'verify', 'verify_archived'] + tests_extra:
    if t in problems:
        print('not ok mailbox_gen/%s: %d problem(s), first: %s' %
              (t, len(problems[t]), problems[t][0]))
    else:
        print('ok mailbox_gen/%s' % t)
print('# sample of %d messages' % len(sample), file=sys.stderr)
EOF
mkdir -p "$T/orig"
"$PYTHON" "$T/check.py" "$A" "$FBL_BIN" "$PER_CAT" "$T/orig" > "$T/check.out" 2> "$T/check.err" ||
    not_ok mailbox_gen/check "$(tail -n 3 "$T/check.err")"
while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#ok }" ;;
	"not ok "*) n=${line#not ok }; not_ok "${n%%: *}" "${n#*: }" ;;
	"skip "*) n=${line#skip }; skip "${n%%: *}" "${n#*: }" ;;
	esac
done < "$T/check.out"

fbl_done
exit $?
