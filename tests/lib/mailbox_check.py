#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""mailbox_check.py: compare what PostgreSQL holds after an ingest of the
generated mailbox (samples/gen_mailbox.c) with the generator's manifest, the
independent truth.  Prints test lines (ok / not ok).

  mailbox_check.py MAILBOX ROWS.tsv DAILY.tsv [PREFIX] [--archived] [--standing] [--crlf]

ROWS.tsv: fingerprint hex, kind, feedback type, reporter, role, result,
reason, archived verdict ('-' for none), one line per signature (a report
without signatures: role '-').  DAILY.tsv: kind, token, role, result, reason,
count.  --archived also checks the second verdict under archived keys
(archived-keys.zone imported): 'pass' where the manifest's *_archived result
is pass, none where even the archive has no key for the name, else 'fail';
only for verdicts the archive can reverse.  --standing also checks each
report's authenticity (a 9th column of ROWS.tsv, sql/003_standing.sql) from
the manifest's category: complaint and headers-only authentic, redacted
redacted, rotated rotated (with the archive; else forged, or damaged when
the reporter is Yahoo, which forwards only mail whose DKIM verified),
forged forged (damaged at Yahoo when signed).  A 10th column of ROWS.tsv,
the signature's diagnosis class (sql/014_signature_diagnosis.sql), is
checked against the class the manifest implies (want_class()).  --crlf: the messages were read
from Dovecot over IMAP, which hands them over with CRLF line ends and no NUL
(RFC 3501, section 4.3): each file's fingerprint is that of its bytes with
every bare LF made CRLF and every NUL made 0x80, as Dovecot sends them.
"""
import collections, csv, hashlib, os, re, sys
args = [a for a in sys.argv[1:] if not a.startswith('--')]
archived = '--archived' in sys.argv[1:]
standing = '--standing' in sys.argv[1:]
crlf = '--crlf' in sys.argv[1:]
mb, rows_f, daily_f = args[0:3]
prefix = args[3] if len(args) > 3 else 'ingest-mailbox'
REVERSIBLE = ('key-not-found', 'key-revoked', 'signature-mismatch', 'key-syntax')
man = list(csv.DictReader(open(os.path.join(mb, 'manifest.tsv')), delimiter='\t'))
rows = collections.defaultdict(list)
kinds = {}
auth = {}
classes = {}
for cols in (l.rstrip('\n').split('\t') for l in open(rows_f)):
    fp, kind, ft, rep, role, res, reason, arch = cols[:8]
    if len(cols) > 8:
        auth[fp] = cols[8]
    if len(cols) > 9:
        classes[(fp, role)] = cols[9]
    kinds[fp] = (kind, ft, rep)
    if role != '-':
        rows[fp].append((role, res, reason, arch))
def want_standing(m):
    cat, yahoo = m['category'], m['reporter'] == 'yahoo'
    if cat in ('complaint', 'headers-only'):
        return 'authentic'
    if cat == 'redacted':
        return 'redacted'
    if cat == 'rotated' and archived:
        return 'rotated'
    if cat in ('rotated', 'forged'):
        signed = m['variant'] != 'unsigned'
        return 'damaged' if yahoo and signed else 'forged'
    return 'unexpected category ' + cat
def want_class(m, res, reason, ares):
    """The diagnosis class a signature of this manifest row must get: none
    for what did not fail; the reporter's redaction; a key rotated away
    (found again in the archive with --archived, else missing); a
    signature no published key made: forged, except at Yahoo, which
    forwards only mail that verified on arrival (a key replaced)."""
    if res not in ('fail', 'permerror', 'policy'):
        return '-'
    if archived and ares == 'pass':
        return 'key-rotated'
    if reason == 'redacted':
        return 'redacted'
    if reason == 'key-not-found':
        return 'key-missing'
    if reason == 'signature-mismatch':
        return 'not-signing-key' if m['reporter'] == 'yahoo' else 'forged'
    return 'unexpected reason ' + reason
def line(ok, name, why=''):
    print(('ok ' if ok else 'not ok ') + name + ('' if ok else ': ' + why))
bad = collections.Counter()
stored = 0
expect_daily = collections.Counter()
for m in man:
    data = open(os.path.join(mb, 'Maildir', 'new', m['file']), 'rb').read()
    if crlf:
        data = re.sub(rb'(?<!\r)\n', b'\r\n', data).replace(b'\0', b'\x80')
    fp = hashlib.sha256(data).hexdigest()
    if len(data) == 0:
        # an empty file is not a message: reported, never stored
        if fp in kinds:
            bad['empty-stored'] += 1
        continue
    stored += 1
    if fp not in kinds:
        bad['missing:' + m['category']] += 1
        continue
    kind, ft, rep = kinds[fp]
    if kind != m['kind']:
        bad['kind:%s:%s!=%s' % (m['category'], kind, m['kind'])] += 1
    if m['kind'] != 'arf':
        continue
    if ft != m['feedback_type'] or rep != m['reporter']:
        bad['fields:' + m['category']] += 1
    if standing and auth.get(fp) != want_standing(m):
        bad['standing:%s/%s:%s!=%s' % (m['category'], m['reporter'], auth.get(fp), want_standing(m))] += 1
    got = {role: (res, reason) for role, res, reason, _ in rows[fp]}
    garch = {role: arch for role, _, _, arch in rows[fp]}
    for role, res, reason, ares, areason in (
            ('customer', m['cust_result'], m['cust_reason'], m['cust_result_archived'], m['cust_reason_archived']),
            ('esp', m['esp_result'], m['esp_reason'], m['esp_result_archived'], m['esp_reason_archived'])):
        if res == 'none':
            if role in got:
                bad['unexpected-%s-sig:%s' % (role, m['category'])] += 1
            continue
        if got.get(role) != (res, reason):
            bad['%s:%s:%s!=%s' % (role, m['category'], got.get(role), (res, reason))] += 1
        if classes and role in got:
            want = want_class(m, res, reason, ares)
            if classes.get((fp, role)) != want:
                bad['class-%s:%s/%s:%s!=%s' % (role, m['category'], m['variant'], classes.get((fp, role)), want)] += 1
        if archived and role in got:
            want = '-'
            if reason in REVERSIBLE:
                want = 'pass' if ares == 'pass' else '-' if areason == 'key-not-found' else 'fail'
            if garch.get(role) != want:
                bad['archived-%s:%s:%s!=%s' % (role, m['category'], garch.get(role), want)] += 1
        token = m['customer_domain'] if role == 'customer' else 'fbl.myesp.example'
        # forged customer signatures come from the same domain: role customer
        expect_daily[('arf', token, role, res, reason)] += 1
line(not bad, prefix + '/per-message-vs-manifest (%d messages)' % stored,
     '; '.join('%s x%d' % kv for kv in bad.most_common(8)))
line(len(kinds) == stored, prefix + '/report-rows', '%d rows, %d non-empty files' % (len(kinds), stored))
daily = collections.Counter()
for l in open(daily_f):
    kind, token, role, res, reason, n = l.rstrip('\n').split('\t')
    if kind == 'arf':
        daily[(kind, token, role, res, reason)] += int(n)
diff = (daily - expect_daily) + (expect_daily - daily)
line(not diff, prefix + '/daily-signature-vs-manifest',
     ', '.join('%s:%d' % (k, v) for k, v in list(diff.items())[:6]))
