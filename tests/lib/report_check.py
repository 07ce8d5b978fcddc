#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""report_check.py: compare `fblscope report` output for the generated
mailbox (samples/gen_mailbox.c) with figures computed here, independently,
from the generator's manifest.tsv and volumes.csv.  Prints test lines.

  report_check.py MAILBOX DAY LONG_DAYS ROTATION_MONTHS REPORT.json REPORT.csv REPORT.txt [SCHEMA]

The rules restated from docs/fblscope.1 (REPORT): complaint class = abuse,
fraud, virus; a complaint counts in a rate unless its authenticity is
forged or replayed; authenticity from the manifest's category (complaint,
headers-only: authentic; redacted; rotated with the archive imported;
forged: damaged when Yahoo reported signed mail, else forged); rate =
complaints / volume on days with volume (Yahoo: delivered); alarmed while
one of the last 7 days reached the alarm rate, flagged when the day's rate
reaches the flag rate.
"""
import collections, csv, datetime, json, os, sys

mb, DAY, LONG, ROT, jpath, cpath, tpath = sys.argv[1:8]
schema_path = sys.argv[8] if len(sys.argv) > 8 else None
LONG, ROT = int(LONG), int(ROT)
FLAG, ALARM, RECOVERY = 0.001, 0.003, 7
D = datetime.date.fromisoformat(DAY)
LEN = {'day': 1, 'short': 7, 'long': LONG}
ESP = 'fbl.myesp.example'

def line(ok, name, why=''):
    print(('ok ' if ok else 'not ok ') + 'report/' + name + ('' if ok else ': ' + why))

def off(day):
    return (datetime.date.fromisoformat(day) - D).days

def cur(w, o):
    return -LEN[w] < o <= 0

def prev(w, o):
    return -2 * LEN[w] < o <= -LEN[w]

man = [m for m in csv.DictReader(open(os.path.join(mb, 'manifest.tsv')), delimiter='\t')
       if m['kind'] == 'arf']

def auth_of(m):
    cat = m['category']
    if cat in ('complaint', 'headers-only'):
        return 'authentic'
    if cat in ('redacted', 'rotated'):
        return cat
    return 'damaged' if m['reporter'] == 'yahoo' and m['variant'] != 'unsigned' else 'forged'

def cls_of(ft):
    return 'complaint' if ft in ('abuse', 'fraud', 'virus') else ft

# complaints per (customer, reporter, offset); '*' for all
comp = collections.Counter()
classes = collections.Counter()        # (customer, class, offset)
auth = collections.Counter()           # (customer, authenticity, offset)
esp_all = collections.Counter()        # offset -> class complaint, any authenticity
esp_attr = collections.Counter()       # (reporter, offset)
esp_carried = collections.Counter()
esp_verified = collections.Counter()
dom2cust = {}
keys = collections.Counter()           # (token, selector) -> signatures in the long window
sigs = collections.Counter()           # token -> signatures (long window)
ver = collections.Counter()            # token -> verified
for m in man:
    o = off(m['arrival_day'])
    c, r, a, k = m['customer'], m['reporter'], auth_of(m), cls_of(m['feedback_type'])
    dom2cust[m['customer_domain']] = c
    auth[(c, a, o)] += 1
    classes[(c, k, o)] += 1
    if k == 'complaint':
        esp_all[o] += 1
        if a not in ('forged', 'replayed'):
            comp[(c, r, o)] += 1
            comp[(c, '*', o)] += 1
            esp_attr[(r, o)] += 1
            esp_attr[('*', o)] += 1
        has_esp = not (m['category'] == 'forged' and m['variant'] != 'forged-both-sigs')
        if has_esp:
            esp_carried[o] += 1
        if m['category'] in ('complaint', 'headers-only'):
            esp_verified[o] += 1
    if -LONG < o <= 0 and m['variant'] != 'unsigned':
        keys[(m['customer_domain'], m['selector'])] += 1
        sigs[m['customer_domain']] += 1
        ver[m['customer_domain']] += m['cust_result'] == 'pass'
        if m['esp_result'] != 'none':
            keys[(ESP, m['selector'])] += 1
            sigs[ESP] += 1
            ver[ESP] += m['esp_result'] == 'pass'

vol = {}                               # (customer or 'esp', reporter, offset) -> denominator
for v in csv.DictReader(open(os.path.join(mb, 'volumes.csv'))):
    who = 'esp' if v['token'] == ESP else dom2cust.get(v['token'])
    if who is None:
        continue
    den = int(v['delivered']) if v['isp'] == 'yahoo' and v['delivered'] else int(v['sent'])
    vol[(who, v['isp'], off(v['day']))] = den

# the first day of stored data: of any report with a day, of any volume;
# a period before a window that starts earlier is not known (docs/fblscope.1)
START = min([m['arrival_day'] for m in csv.DictReader(
    open(os.path.join(mb, 'manifest.tsv')), delimiter='\t')
    if m['arrival_day'] != '-'] + [k for k in
    (v['day'] for v in csv.DictReader(open(os.path.join(mb, 'volumes.csv'))))])

def prev_known(w):
    return D - datetime.timedelta(days=2 * LEN[w] - 1) >= datetime.date.fromisoformat(START)

def fig(counts, key, reporter, w, volkey=None):
    volkey = volkey or key
    lo = -2 * LEN[w] + 1
    f = dict(complaints=0, previous=0, rated=0, volume=0, pr=0, pv=0, hv=False, phv=False)
    for o in range(lo, 1):
        n = counts[(key, reporter, o)] if key is not None else counts[(reporter, o)]
        d = vol.get((volkey, reporter, o))
        if cur(w, o):
            f['complaints'] += n
            if d is not None:
                f['rated'] += n; f['volume'] += d; f['hv'] = True
        else:
            f['previous'] += n
            if d is not None:
                f['pr'] += n; f['pv'] += d; f['phv'] = True
    if not prev_known(w):
        f['previous'] = None
    f['rate'] = f['rated'] / f['volume'] if f['hv'] and f['volume'] > 0 else None
    f['previous_rate'] = f['pr'] / f['pv'] if f['phv'] and f['pv'] > 0 else None
    return f

customers = sorted(set(m['customer'] for m in man) | set(k[0] for k in vol if k[0] != 'esp'))
def level_at(c, end):
    """The level and days to recover of customer c on day offset end."""
    rates = []
    for o in range(end - RECOVERY + 1, end + 1):
        d = vol.get((c, '*', o))
        rates.append(comp[(c, '*', o)] / d if d else None)
    below = 0
    for x in reversed(rates):
        if x is not None and x >= ALARM:
            break
        below += 1
    rec = RECOVERY - below if below < RECOVERY else 0
    lvl = 'alarmed' if rec > 0 else 'flagged' if rates[-1] is not None and rates[-1] >= FLAG else 'ok'
    return (lvl, rec)
want_level = {c: level_at(c, 0) for c in customers}

rep = json.load(open(jpath))
if schema_path:
    try:
        import jsonschema
        try:
            jsonschema.validate(rep, json.load(open(schema_path)))
            line(True, 'json-schema-valid')
        except jsonschema.ValidationError as e:
            line(False, 'json-schema-valid', str(e).splitlines()[0])
    except ImportError:
        print('skip report/json-schema-valid: python3-jsonschema is not installed')

def close(a, b):
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-6 * max(1, abs(b)))

got = {c['id']: c for c in rep['customers']}
line(set(got) == set(customers), 'customers-listed', '%s vs %s' % (sorted(set(got) ^ set(customers))[:5], ''))
bad = collections.Counter()
for c in customers:
    g = got.get(c)
    if g is None:
        continue
    for w in LEN:
        f = fig(comp, c, '*', w)
        gw = g['windows'][w]
        for k in ('complaints', 'previous', 'rated'):
            if gw[k] != f[k]:
                bad['total-%s-%s' % (w, k)] += 1
        if (gw['volume'] if gw['volume'] is not None else 0) != f['volume']:
            bad['total-%s-volume' % w] += 1
        if not close(gw['rate'], f['rate']) or not close(gw['previous_rate'], f['previous_rate']):
            bad['total-%s-rate' % w] += 1
        for k in ('opt-out', 'not-spam', 'auth-failure'):
            n = sum(classes[(c, k, o)] for o in range(-LEN[w] + 1, 1))
            if gw['classes'][k] != n:
                bad['class-%s-%s' % (w, k)] += 1
        for a in ('authentic', 'forged', 'replayed', 'rotated', 'redacted', 'damaged', 'pending'):
            n = sum(auth[(c, a, o)] for o in range(-LEN[w] + 1, 1))
            if g['authenticity'][w][a] != n:
                bad['auth-%s-%s' % (w, a)] += 1
    isps = {i['reporter']: i for i in g['isps']}
    for r in ('yahoo', 'aol', 'microsoft', 'comcast', 'cox', 'att', 'earthlink', 'gmx'):
        for w in LEN:
            f = fig(comp, c, r, w)
            gi = isps.get(r)
            if gi is None:
                if f['complaints'] or f['volume']:
                    bad['isp-missing-' + r] += 1
                continue
            gw = gi['windows'][w]
            if gw['complaints'] != f['complaints'] or gw['previous'] != f['previous'] \
                    or not close(gw['rate'], f['rate']):
                bad['isp-%s-%s' % (r, w)] += 1
    if (g['level'], g['recover_days']) != want_level[c]:
        bad['level %s: got %s/%d want %s/%d' % ((c, g['level'], g['recover_days']) + want_level[c])] += 1
# a mailbox of three weeks: the 30 days before the long window are not
# known, the 7 before the short one are
ch = set((w, c['windows'][w]['change'] is None, c['windows'][w]['previous'] is None)
         for c in rep['customers'] for w in LEN)
want = set((w, not prev_known(w), not prev_known(w)) for w in LEN)
line(ch == want and (LONG != 30 or want == {('day', False, False), ('short', False, False),
                                            ('long', True, True)}),
     'change-unknown-before-data', '%s, want %s (data from %s)' % (sorted(ch), sorted(want), START))
line(not bad, 'customer-figures-vs-manifest', '; '.join('%s x%d' % kv for kv in bad.most_common(6)))

alarmed = sorted(c for c in customers if want_level[c][0] == 'alarmed')
flagged = sorted(c for c in customers if want_level[c][0] == 'flagged')
line(alarmed and flagged and len(alarmed) + len(flagged) < len(customers),
     'generator-gives-all-three-levels', 'alarmed %d flagged %d of %d' % (len(alarmed), len(flagged), len(customers)))
order = [c['level'] for c in rep['customers']]
rank = {'alarmed': 0, 'flagged': 1, 'ok': 2}
line(order == sorted(order, key=rank.get), 'alarmed-then-flagged-first')
line(sorted(c['id'] for c in rep['customers'] if c['level'] == 'alarmed') == alarmed, 'alarmed-set')
line(sorted(c['id'] for c in rep['customers'] if c['level'] == 'flagged') == flagged, 'flagged-set')

# forged and rotated in all
for a in ('forged', 'rotated', 'damaged'):
    want = sum(n for (c, x, o), n in auth.items() if x == a and -LONG < o <= 0)
    gotn = sum(c['authenticity']['long'][a] for c in rep['customers'])
    line(want == gotn and want > 0, 'authenticity-%s-count' % a, 'got %d want %d' % (gotn, want))

# the ESP token
e = rep['esp']
badesp = []
for w in LEN:
    f = fig(esp_attr, None, '*', w, 'esp')
    gw = e['windows'][w]
    if gw['complaints'] != f['complaints'] or not close(gw['rate'], f['rate']):
        badesp.append('%s %s/%s vs %s/%s' % (w, gw['complaints'], gw['rate'], f['complaints'], f['rate']))
    rng = range(-LEN[w] + 1, 1)
    for k, cnt in (('all_complaints', esp_all), ('carried', esp_carried), ('verified', esp_verified)):
        if e[k][w] != sum(cnt[o] for o in rng):
            badesp.append('%s %s %d vs %d' % (w, k, e[k][w], sum(cnt[o] for o in rng)))
    gi = {i['reporter']: i for i in e['isps']}
    for r in ('yahoo', 'microsoft', 'gmx'):
        f = fig(esp_attr, None, r, w, 'esp')
        if r in gi and (gi[r]['windows'][w]['complaints'] != f['complaints']
                        or not close(gi[r]['windows'][w]['rate'], f['rate'])):
            badesp.append('%s %s' % (r, w))
line(not badesp and e['tokens'] == [ESP], 'esp-token', '; '.join(badesp[:4]))

# key hygiene: selectors, ages, signatures
gk = {}
for k in rep['keys']:
    gk[(k['token'], k['selector'])] = gk.get((k['token'], k['selector']), 0) + k['signatures']
line(gk == dict(keys), 'key-selectors-and-signatures',
     str(sorted(set(gk.items()) ^ set(keys.items()))[:4]))
agebad = []
for k in rep['keys']:
    mon = {'sep2026.myesp': 9, 'oct2026.myesp': 10, 'nov2026.myesp': 11}[k['selector']]
    age = (D.year * 12 + D.month) - (2026 * 12 + mon)
    if k['age_months'] != age or k['past_rotation'] != (age > ROT) or \
            k['selector_month'] != '2026-%02d' % mon:
        agebad.append('%s %s' % (k['token'], k['selector']))
line(not agebad and any(k['past_rotation'] for k in rep['keys']), 'key-ages-and-rotation', ', '.join(agebad[:4]))
line(all(k['small_key'] == (0 <= k['key_bits'] < 2048) for k in rep['keys']), 'key-small-flag')

def zone_keys(path):
    """{(domain, selector): bits} of the RSA keys of a zone file the
    generator wrote (one TXT record, its strings on one line)."""
    import base64, re
    out = {}
    for ln in open(path):
        m = re.match(r'^(\S+?)\._domainkey\.(\S+?)\.? .*TXT', ln)
        p = re.search(r'p=([^;]*)', ''.join(re.findall(r'"([^"]*)"', ln)))
        if not m or not p:
            continue
        der = base64.b64decode(p.group(1).replace(' ', ''))

        def tlv(i):
            n = der[i + 1]
            if n < 0x80:
                return i + 2, n
            k = n & 0x7f
            return i + 2 + k, int.from_bytes(der[i + 2:i + 2 + k], 'big')
        i, _ = tlv(0)                   # SubjectPublicKeyInfo
        i, n = tlv(i)                   # AlgorithmIdentifier: skipped
        i, _ = tlv(i + n)               # BIT STRING
        i, _ = tlv(i + 1)               # RSAPublicKey
        i, n = tlv(i)                   # the modulus
        mod = der[i:i + n].lstrip(b'\0')
        out[(m.group(2).lower(), m.group(1).lower())] = \
            8 * len(mod) - (8 - mod[0].bit_length())
    return out

# a selector DNS no longer serves but `keys import` archived: the archive's
# size, never "no key" (tests/integration/report.sh imports it first)
live = zone_keys(os.path.join(mb, 'keys.zone'))
archived = zone_keys(os.path.join(mb, 'archived-keys.zone'))
srcbad = []
for k in rep['keys']:
    t = (k['token'], k['selector'])
    want = ('dns', live[t]) if t in live else ('archive', archived[t]) \
        if t in archived else ('none', -1)
    if (k['key_source'], k['key_bits']) != want:
        srcbad.append('%s %s: %s %d, want %s %d' % (t + (k['key_source'], k['key_bits']) + want))
line(not srcbad and any(k['key_source'] == 'archive' for k in rep['keys']),
     'key-source-dns-or-archive', '; '.join(srcbad[:3]))

# verification health per token
gv = {v['token']: v for v in rep['verification']}
vbad = [t for t in sigs if t not in gv or gv[t]['signatures'] != sigs[t] or gv[t]['verified'] != ver[t]]
line(not vbad and len(gv) == len(sigs), 'verification-per-token', ', '.join(vbad[:4]))
# verification health by group, from the manifest's causes: redacted
# copies altered by the reporter; rotated keys (archived: key-rotated) and,
# at Yahoo, a forged signature (a key replaced: not-signing-key) key
# problems; other forged signatures suspected forgeries; no real mismatch
def health_of(res, reason, reporter):
    if res == 'pass':
        return 'verified'
    if (res, reason) == ('neutral', 'headers-only'):
        return 'headers-only'
    if reason == 'redacted':
        return 'altered-by-reporter'
    if reason == 'key-not-found':
        return 'key-problem'
    if reason == 'signature-mismatch':
        return 'key-problem' if reporter == 'yahoo' else 'suspected-forgery'
    return 'unexpected %s/%s' % (res, reason)
want_health = collections.Counter()
for m in man:
    if -LONG < off(m['arrival_day']) <= 0:
        for res, reason in ((m['cust_result'], m['cust_reason']),
                            (m['esp_result'], m['esp_reason'])):
            if res != 'none':
                want_health[health_of(res, reason, m['reporter'])] += 1
got_health = {k: n for k, n in rep['verification_health'].items()
              if k != 'failure_rate' and n}
line(got_health == dict(want_health) and
     rep['verification_health']['failure_rate'] == 0,
     'verification-health-vs-manifest',
     'got %s, want %s, failure rate %s' % (sorted(got_health.items()),
                                           sorted(want_health.items()),
                                           rep['verification_health']['failure_rate']))
# the first panel (report/changes.h), from the manifest: levels against the
# day before; forgery spikes (suspected: forged, and replayed, which the
# generator never makes); ISPs without complaints (any authenticity) for
# 3 days after >= 7 in the 14 days before; the days of the short window < 3 days before the last
# arrival day.  The manifest knows no DNS: each problem of the report's
# keys audit section (dns.problems) is a change, new or open by its age,
# an alarm when it is a FAIL.
want_changes = set()
for c in customers:
    now, before = want_level[c][0], level_at(c, -1)[0]
    if now == 'alarmed' and before != 'alarmed':
        want_changes.add(('alarm', 'alarmed', c))
    elif now == 'flagged' and before == 'ok':
        want_changes.add(('warn', 'flagged', c))
    elif now != 'alarmed' and before == 'alarmed':
        want_changes.add(('info', 'recovered', c))
    sus = [auth[(c, 'forged', -k)] for k in range(0, 8)]
    if sus[0] >= 3 and sus[0] * 7 >= 3 * sum(sus[1:]):
        want_changes.add(('alarm', 'forgery-spike', c))
per_isp = collections.Counter((m['reporter'], off(m['arrival_day'])) for m in man
                              if cls_of(m['feedback_type']) == 'complaint')
for r in set(m['reporter'] for m in man):
    if sum(per_isp[(r, -k)] for k in range(3)) == 0 and \
            sum(per_isp[(r, -k)] for k in range(3, 17)) >= 7:
        want_changes.add(('warn', 'isp-silent', r))
last = max(m['arrival_day'] for m in man)
for k in range(7):
    day = (D - datetime.timedelta(days=k)).isoformat()
    if (datetime.date.fromisoformat(last) - datetime.date.fromisoformat(day)).days < 3:
        want_changes.add(('info', 'incomplete', day))
for p in rep['dns']['problems']:
    want_changes.add(('alarm' if p['status'] == 'FAIL' else 'warn',
                      'dns-new' if p['days_open'] == 0 else 'dns-open', p['domain']))
got_changes = set((x['severity'], x['kind'], x['subject']) for x in rep['changes'])
line(got_changes == want_changes and rep['changes_left'] == 0, 'changes-vs-manifest',
     'got only %s; want only %s' % (sorted(got_changes - want_changes)[:4],
                                    sorted(want_changes - got_changes)[:4]))
print('# report/changes: %d (%s)' % (len(want_changes), ', '.join(sorted(set(k for _, k, _ in want_changes)))))
line(rep['samples'] == [], 'no-samples-in-the-mailbox')
line(rep['unknown_tokens'] == [], 'unknown-tokens-none')

# CSV: the same figures
sections = collections.defaultdict(list)
for row in csv.reader(open(cpath)):
    if row and row[0] != 'section':
        sections[row[0]].append(row)
cbad = 0
hdr = None
for row in csv.reader(open(cpath)):
    if row and row[0] == 'section' and len(row) > 1 and row[1] == 'customer' and row[2] == 'reporter':
        hdr = row
        break
for row in sections['customer']:
    r = dict(zip(hdr, row))
    f = fig(comp, r['customer'], r['reporter'], r['window'])
    rate = float(r['rate']) if r['rate'] else None
    if int(r['complaints']) != f['complaints'] or not close(rate, f['rate']) or \
            r['level'] != want_level[r['customer']][0]:
        cbad += 1
line(cbad == 0 and len(sections['customer']) > 0, 'csv-customer-section', '%d rows differ' % cbad)
line(len(sections['key']) == len(rep['keys']) and len(sections['esp']) >= 3, 'csv-other-sections')

# text: width, and alarmed customers marked
txt = open(tpath).read().splitlines()
wide = [l for l in txt if len(l) > 100]
line(not wide, 'text-fits-100-columns', '%d lines, e.g. %r' % (len(wide), wide[:1]))
marked = sorted(l.split()[0] for l in txt if len(l) > 26 and l[19:26] == 'ALARMED')
line(marked == alarmed, 'text-alarmed-marked', '%s vs %s' % (marked[:5], alarmed[:5]))
for title in ('CUSTOMERS', 'ESP TOKEN', 'SUSPECTED FORGERY', 'VERIFICATION HEALTH', 'MAIL SAMPLES',
              'KEY HYGIENE', 'UNKNOWN TOKENS'):
    line(any(l.startswith(title) for l in txt), 'text-section ' + title.lower().replace(' ', '-'))

# ---- the views by sending network, by campaign and of token health -------
# (report/views.h), from the manifest's Source-IP, campaign ids and
# verdicts.  Networks: complaints (class complaint, any authenticity) by
# the /24 (IPv4) or /48 (IPv6) of a Source-IP inside the sending networks
# of fblscope.conf (labelled with the one holding it), else 'outside'.
# Campaigns: attributed complaints whose id the ESP signature covers (h=
# has feedback-id, and the CFBL fields for the customers that send CFBL)
# and vouches for: it passed, in a headers-only copy its header hash
# verified, or it passes under the archived key (rotated, the archive
# imported first); a redacted copy's failed.
import ipaddress
SENDING = [ipaddress.ip_network(n) for ln in open(os.path.join(mb, 'fblscope.conf'))
           if ln.startswith('sending-network') for n in ln.split()[1:]]

def network_of(m):
    ip = ipaddress.ip_address(m['source_ip'])
    if not any(ip in n for n in SENDING):
        return 'outside', None
    pre = ipaddress.ip_network('%s/%d' % (ip, 24 if ip.version == 4 else 48), strict=False)
    return str(pre), next(str(n) for n in SENDING
                          if n.version == pre.version and pre.subnet_of(n))

def windows(counter, key):
    return {w: sum(counter[key + (o,)] for o in range(-LEN[w] + 1, 1)) for w in LEN}

net_c, net_a, net_label = collections.Counter(), collections.Counter(), {}
camp = collections.Counter()
for m in man:
    o = off(m['arrival_day'])
    if cls_of(m['feedback_type']) != 'complaint':
        continue
    attributed = auth_of(m) not in ('forged', 'replayed')
    net, label = network_of(m)
    net_label[net] = label
    for who in ('*', m['customer']):
        net_c[(who, net, o)] += 1
        net_a[(who, net, o)] += attributed
    if attributed and m['category'] in ('complaint', 'headers-only', 'rotated'):
        camp[(m['customer'], 'feedback-id', m['feedback_id'], o)] += 1
        if m['cfbl_feedback_id'] != '-':
            camp[(m['customer'], 'cfbl', m['cfbl_feedback_id'], o)] += 1

def net_list(who):
    nets = sorted(set(k[1] for k in net_c if k[0] == who and -LONG < k[2] <= 0))
    rows = [(n, windows(net_c, (who, n)), windows(net_a, (who, n))) for n in nets]
    rows.sort(key=lambda r: (-r[1]['long'], r[0]))
    return [{'network': n, 'sending_network': net_label[n], 'complaints': c,
             'attributed': a} for n, c, a in rows]

sn = rep['sending_networks']
want = net_list('*')
line(sn['all']['networks'] == want[:10] and sn['all']['left_out'] == max(0, len(want) - 10)
     and len(want) >= 6, 'views-networks-all-vs-manifest',
     'got %s, want %s' % (sn['all']['networks'][:2], want[:2]))
shown = [c['id'] for c in rep['customers']]
bad = [c for c in shown if next((l['networks'] for l in sn['customers'] if l['customer'] == c),
                                []) != net_list(c)[:10]]
line(not bad and [l['customer'] for l in sn['customers']] == sorted(shown),
     'views-networks-per-customer-vs-manifest', 'differ: %s' % bad[:4])

attr_long = {c: sum(comp[(c, '*', o)] for o in range(-LONG + 1, 1)) for c in customers}
all_long = sum(attr_long.values())

def camp_list(who):
    keys = sorted(set(k[:3] for k in camp if (who is None or k[0] == who) and -LONG < k[3] <= 0))
    rows = [(k, windows(camp, k)) for k in keys]
    rows.sort(key=lambda r: (-r[1]['long'],) + r[0])
    den = all_long if who is None else attr_long[who]
    return [{'customer': k[0], 'source': k[1], 'campaign': k[2], 'complaints': n,
             'share': n['long'] / den if den else None} for k, n in rows], len(rows)

def same_campaigns(got, want):
    return len(got) == len(want) and all(
        {k: v for k, v in g.items() if k != 'share'} == {k: v for k, v in w.items() if k != 'share'}
        and close(g['share'], w['share']) for g, w in zip(got, want))

cp = rep['campaigns']
want, total = camp_list(None)
line(same_campaigns(cp['all']['campaigns'], want[:10]) and cp['all']['left_out'] == total - 10
     and any(c['source'] == 'cfbl' for c in cp['all']['campaigns']),
     'views-campaigns-all-vs-manifest', 'got %s, want %s' % (cp['all']['campaigns'][:1], want[:1]))
bad = []
for c in shown:
    want, total = camp_list(c)
    got = next((l for l in cp['customers'] if l['customer'] == c), None)
    if (got is None and want) or (got is not None and (
            not same_campaigns(got['campaigns'], want[:10]) or got['left_out'] != max(0, total - 10))):
        bad.append(c)
line(not bad, 'views-campaigns-per-customer-vs-manifest', 'differ: %s' % bad[:4])

# token health: each token's complaint signatures per day, those that passed
hs, hv = collections.Counter(), collections.Counter()
for m in man:
    o = off(m['arrival_day'])
    for tok, res in ((m['customer_domain'], m['cust_result']), (ESP, m['esp_result'])):
        if res != 'none' and -LONG < o <= 0:
            hs[(tok, o)] += 1
            hv[(tok, o)] += res == 'pass'
toks = sorted(set(k[0] for k in hs))
def share(v, n):
    return v / n if n else None
rank = sorted(toks, key=lambda t: (t != ESP, sum(hv[(t, o)] for o in range(-LONG + 1, 1)) /
                                   sum(hs[(t, o)] for o in range(-LONG + 1, 1)),
                                   -sum(hs[(t, o)] for o in range(-LONG + 1, 1)), t))
th = rep['token_health']
hbad = []
for g in th['tokens']:
    t = g['token']
    sig, ver = windows(hs, (t,)), windows(hv, (t,))
    days = [{'day': (D + datetime.timedelta(days=o)).isoformat(), 'signatures': hs[(t, o)],
             'verified': hv[(t, o)], 'share': share(hv[(t, o)], hs[(t, o)])}
            for o in range(-LONG + 1, 1) if hs[(t, o)]]
    low = min(days, key=lambda d: d['share'])
    if g['signatures'] != sig or g['verified'] != ver or \
            any(not close(g['share'][w], share(ver[w], sig[w])) for w in LEN) or \
            [{k: v for k, v in d.items() if k != 'share'} for d in g['days']] != \
            [{k: v for k, v in d.items() if k != 'share'} for d in days] or \
            g['worst_day'] != low['day'] or not close(g['worst_share'], low['share']):
        hbad.append(t)
line(not hbad and [g['token'] for g in th['tokens']] == rank[:48] and
     th['left_out'] == len(rank) - 48 > 0, 'views-token-health-vs-manifest',
     'differ: %s; order %s vs %s' % (hbad[:3], [g['token'] for g in th['tokens']][:3], rank[:3]))
