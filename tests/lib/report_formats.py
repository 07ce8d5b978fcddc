#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""report_formats.py: one report, four renderings, one set of numbers.

  report_formats.py PREFIX REPORT.text REPORT.csv REPORT.json REPORT.html

The four files are `fblscope report` of the same database, day and
options.  Every figure that more than one format shows is taken from each
(the text by its columns, the CSV by its sections, the JSON by its keys,
the HTML parsed as HTML: its tables by their header row, the verification
chart by its parts), put in the form the text report prints (counts, signed
changes, rates as "0.600%" or "-"), and compared.  Prints one test line per
figure family: "ok PREFIX/NAME" or "not ok PREFIX/NAME: the first
differences".
"""
import csv
import io
import json
import re
import sys
from html.parser import HTMLParser

prefix, tpath, cpath, jpath, hpath = sys.argv[1:6]
WINDOWS = ('day', 'short', 'long')
# report_health_names and _labels (report/model.c), in order
HEALTH = ('verified', 'headers-only', 'altered-by-reporter',
          'transport-damage', 'key-problem', 'mismatch', 'suspected-forgery',
          'pending', 'not-diagnosed', 'other')
HEALTH_LABELS = ('verified', 'headers only', 'altered by the reporter',
                 'transport damage', 'key problems', 'real mismatches',
                 'suspected forgeries', 'pending (DNS)', 'not diagnosed',
                 'other')
AUTH = ('replayed', 'forged', 'rotated', 'redacted', 'damaged', 'pending',
        'authentic')
failures = 0


def cause_label(cls, field):
    """A failure cause as the text and the page show it."""
    if not cls:
        return 'not diagnosed'
    return '%s (%s)' % (cls, field) if field else cls


def change_kind(sentence):
    """The kind of a first-panel sentence (report_change_text())."""
    for pat, kind in ((r' is newly alarmed$', 'alarmed'),
                      (r' is newly flagged$', 'flagged'),
                      (r' is no longer alarmed$', 'recovered'),
                      (r': \d+ suspected forgeries today', 'forgery-spike'),
                      (r'\(new\)', 'dns-new'), (r'\(open \d+ days?\)', 'dns-open'),
                      (r': no complaints for \d+ days', 'isp-silent'),
                      (r': reports still arriving', 'incomplete')):
        if re.search(pat, sentence):
            return kind
    return '? ' + sentence


def causes_items(text):
    """'redacted 40, header-changed (subject) 2' into {label: count}."""
    out = {}
    for item in (i.strip() for i in text.split(',')):
        if item:
            label, n = item.rsplit(' ', 1)
            out[label] = num(n)
    return out


def line(name, diffs):
    global failures
    if diffs:
        failures += 1
        print('not ok %s/%s: %s' % (prefix, name, '; '.join(diffs[:4])))
    else:
        print('ok %s/%s' % (prefix, name))


def compare(name, views, may_be_empty=False):
    """views: {format: {key: value}}; every format has the same keys with
    the same values.  No rows at all is a failure (a parser that found
    nothing agrees with anything) unless may_be_empty."""
    diffs = []
    names = list(views)
    ref = views[names[0]]
    if not ref and not may_be_empty:
        diffs.append('%s has no rows' % names[0])
    for other in names[1:]:
        got = views[other]
        for k in sorted(set(ref) | set(got), key=str):
            if ref.get(k) != got.get(k):
                diffs.append('%s: %s %r, %s %r' % (k, names[0], ref.get(k),
                                                   other, got.get(k)))
    line(name, diffs)


# ---- the forms the text report prints ------------------------------------
def count(n, sign=False):
    """report/text.c count_col: at most 6 characters, else in k, M ..."""
    unit = ' kMGTP'
    for u in range(6):
        t = ('%+d' if sign else '%d') % n + (unit[u] if u else '')
        if len(t) <= 6:
            return t
        n = int(n / 1000)
    return t


def rate(r):
    if r is None or r < 0:
        return '-'
    if r >= 10:
        return '>999%'
    return '%.3f%%' % (r * 100)


def key_bits(source, bits):
    """The bits column as text and HTML show it: -1 (JSON, CSV) is none
    for a key not found, ? for an archived key of unknown size."""
    if bits != '-1':
        return bits
    return 'none' if source == 'none' else '?'


def num(s):
    return int(s.replace(',', ''))


# ---- JSON ----------------------------------------------------------------
J = json.load(open(jpath))


def change(n):
    """the change column: "-" when the period before is not known"""
    return '-' if n is None else count(n, True)


def j_fig(w):
    return (count(w['complaints']), change(w['change']), rate(w['rate']))


def json_views():
    v = {}
    v['customers'] = {}
    v['customer_isps'] = {}
    v['levels'] = {}
    v['authenticity'] = {}
    for c in J['customers']:
        v['levels'][c['id']] = (c['level'], c['recover_days'])
        for w in WINDOWS:
            v['customers'][(c['id'], w)] = j_fig(c['windows'][w])
            for isp in c['isps']:
                v['customer_isps'][(c['id'], isp['reporter'], w)] = \
                    j_fig(isp['windows'][w])
        a = c['authenticity']['long']
        v['authenticity'][c['id']] = tuple(a[k] for k in AUTH)
    e = J['esp']
    v['esp'] = {w: j_fig(e['windows'][w]) for w in WINDOWS}
    v['esp_isps'] = {(i['reporter'], w): j_fig(i['windows'][w])
                     for i in e['isps'] for w in WINDOWS}
    v['esp_carried'] = {w: (e['all_complaints'][w], e['carried'][w],
                            e['verified'][w]) for w in WINDOWS}
    u = J['unattributed']
    v['unattributed'] = {w: (u['complaints'][w],) + tuple(
        u['reasons'][k][w] for k in ('esp_verified', 'esp_not_verified',
                                     'no_esp_signature')) for w in WINDOWS}
    v['verification'] = {(x['token'], x['role']): (
        x['signatures'], x['verified'], rate(x['share']))
        for x in J['verification']}
    v['headers_only'] = {(x['token'], x['role']): x['headers_only']
                         for x in J['verification']}
    v['mix'] = {k: n for k, n in J['verification_mix'].items() if n}
    v['causes'] = {(x['token'], x['role'], cause_label(c['class'],
                                                       c['field'])):
                   c['count'] for x in J['verification']
                   for c in x['causes']}
    v['changes'] = {(x['severity'], x['subject']): x['kind']
                    for x in J['changes']}
    hj = J['verification_health']
    v['health'] = {k: hj[k] for k in HEALTH if hj[k]}
    v['failure_rate'] = {'all': rate(hj['failure_rate'])}
    v['causes_top4'] = {(x['token'], x['role'], cause_label(
        c['class'], c['field'])): c['count'] for x in J['verification']
        for c in x['causes'][:4]}
    v['keys'] = {(k['token'], k['selector']): (
        key_bits(k['key_source'], str(k['key_bits'])), k['key_source'],
        k['signatures'], k['age_months']) for k in J['keys']}
    v['unknown'] = {(u['token'], u['role']): (u['signatures'],
                                             u['verified'])
                    for u in J['unknown_tokens']}
    return v


# ---- CSV -----------------------------------------------------------------
def csv_views():
    sections = {}
    header = None
    for row in csv.reader(io.StringIO(open(cpath).read())):
        if not row:
            continue
        if row[0] == 'section':
            header = row
            continue
        sections.setdefault(row[0], []).append(dict(zip(header, row)))

    def fig(r):
        return (count(int(r['complaints'])),
                change(int(r['complaints']) - int(r['previous'])
                       if r['previous'] else None),
                rate(float(r['rate']) if r['rate'] else None))
    v = {'customers': {}, 'customer_isps': {}, 'levels': {},
         'authenticity': {}}
    for r in sections.get('customer', []):
        if r['reporter'] == '*':
            v['customers'][(r['customer'], r['window'])] = fig(r)
            v['levels'][r['customer']] = (r['level'],
                                          int(r['recover_days']))
        else:
            v['customer_isps'][(r['customer'], r['reporter'],
                                r['window'])] = fig(r)
    for r in sections.get('authenticity', []):
        if r['window'] == 'long':
            v['authenticity'][r['customer']] = tuple(int(r[k])
                                                     for k in AUTH)
    v['esp'], v['esp_isps'], v['esp_carried'] = {}, {}, {}
    for r in sections.get('esp', []):
        if r['reporter'] == '*':
            v['esp'][r['window']] = fig(r)
            v['esp_carried'][r['window']] = (int(r['all_complaints']),
                                             int(r['carried']),
                                             int(r['verified']))
        else:
            v['esp_isps'][(r['reporter'], r['window'])] = fig(r)
    v['unattributed'] = {r['window']: (
        int(r['complaints']), int(r['esp_verified']),
        int(r['esp_not_verified']), int(r['no_esp_signature']))
        for r in sections.get('unattributed', [])}
    v['verification'], v['headers_only'] = {}, {}
    for r in sections.get('verification', []):
        if r['signatures']:
            k = (r['token'], r['role'])
            v['verification'][k] = (int(r['signatures']),
                                    int(r['verified']),
                                    rate(float(r['share'])
                                         if r['share'] else None))
            v['headers_only'][k] = int(r['headers_only'])
    v['mix'] = {r['class']: int(r['signatures'])
                for r in sections.get('verification_mix', [])
                if int(r['signatures'])}
    v['causes'] = {(r['token'], r['role'], cause_label(r['class'],
                                                       r['field'])):
                   int(r['count'])
                   for r in sections.get('failure_cause', [])}
    v['health'] = {r['group']: int(r['signatures'])
                   for r in sections.get('verification_health', [])
                   if int(r['signatures'])}
    v['changes'] = {(r['severity'], r['subject']): r['kind']
                    for r in sections.get('change', [])}
    v['failure_rate'] = {'all': rate(float(r['failure_rate'])
                                     if r['failure_rate'] else None)
                         for r in sections.get('verification_failure_rate',
                                               [])}
    v['keys'] = {(r['token'], r['selector']): (
        key_bits(r['key_source'], r['key_bits']), r['key_source'],
        int(r['signatures']), int(r['age_months']) if r['age_months']
        else None) for r in sections.get('key', [])}
    v['unknown'] = {(r['token'], r['role']): (int(r['signatures']),
                                              int(r['verified']))
                    for r in sections.get('unknown_token', [])}
    return v


# ---- text ----------------------------------------------------------------
FIG = r'(\d+[kMGTP]?) +([+-]\d+[kMGTP]?|-) +(\d+\.\d{3}%|>999%|-)'
FIGS = FIG + ' +' + FIG + ' +' + FIG


def text_views():
    lines = open(tpath).read().split('\n')
    v = {'customers': {}, 'customer_isps': {}, 'levels': {},
         'authenticity': {}, 'esp': {}, 'esp_isps': {}, 'esp_carried': {},
         'unattributed': {}, 'verification': {}, 'mix': {}, 'keys': {},
         'unknown': {}, 'causes': {}, 'health': {}, 'failure_rate': {},
         'changes': {}}
    sev = {'ALARM': 'alarm', 'warn': 'warn', 'info': 'info'}
    health = None       # the "health:" list being read (it wraps)
    section = None
    cust = None
    token = None        # the verification row the "why:" lines are of
    why = None          # the "why:" list being read (it wraps)
    levels = {'ALARMED': 'alarmed', 'flagged': 'flagged'}
    for ln in lines:
        if ln.startswith('ESP TOKEN '):
            section = 'ESP TOKEN'
            continue
        if re.match(r'^[A-Z][A-Z ]+[:(]', ln):
            section = ln.split(':')[0].split(' (')[0]
            continue
        f = ln.split()
        if why is not None and ln.startswith('      ') and \
                not ln.startswith('      why:'):
            why += ', ' + ln.strip()
            continue
        if why is not None:
            for label, n in causes_items(why).items():
                v['causes'][token + (label,)] = n
            why = None
        if health is not None and ln.startswith('      '):
            health += ', ' + ln.strip()
            continue
        if health is not None:
            labels = causes_items(health)
            v['health'] = {HEALTH[HEALTH_LABELS.index(k)]: n
                           for k, n in labels.items()}
            health = None
        if section == 'WHAT CHANGED' and f and f[0] in sev:
            v['changes'][(sev[f[0]], f[1].rstrip(':'))] = \
                change_kind(' '.join(f[1:]))
            continue
        if section == 'VERIFICATION HEALTH' and ln.startswith('health:'):
            health = ln[len('health:'):]
            continue
        if section == 'VERIFICATION HEALTH' and \
                ln.startswith('real failure rate (mismatches only): '):
            v['failure_rate']['all'] = ln.split(': ', 1)[1].strip()
            continue
        if section == 'VERIFICATION HEALTH' and ln.startswith('      why:'):
            why = ln[len('      why:'):]
            continue
        m = re.match(r'^(\S+) +(?:(ALARMED|flagged) +)?' + FIGS +
                     r'(?: +(\d+))?$', ln)
        mi = re.match(r'^  ([a-z0-9.-]+) +' + FIGS + '$', ln)
        if section == 'CUSTOMERS' and m:
            cust = m.group(1)
            g = m.groups()
            v['levels'][cust] = (levels.get(g[1], 'ok'),
                                 int(g[11]) if g[11] else 0)
            for i, w in enumerate(WINDOWS):
                v['customers'][(cust, w)] = g[2 + 3 * i:5 + 3 * i]
        elif section == 'CUSTOMERS' and mi:
            for i, w in enumerate(WINDOWS):
                v['customer_isps'][(cust, mi.group(1), w)] = \
                    mi.groups()[1 + 3 * i:4 + 3 * i]
        elif section == 'ESP TOKEN' and (mi or (m and m.group(1) == 'all')):
            g = m.groups()[2:11] if not mi else mi.groups()[1:10]
            for i, w in enumerate(WINDOWS):
                if not mi:
                    v['esp'][w] = g[3 * i:3 * i + 3]
                else:
                    v['esp_isps'][(mi.group(1), w)] = g[3 * i:3 * i + 3]
        elif section == 'ESP TOKEN' and re.match(
                r'^  (day|7d|long) +\d+ / \d+ / \d+$', ln):
            w = {'7d': 'short'}.get(f[0], f[0])
            v['esp_carried'][w] = (int(f[1]), int(f[3]), int(f[5]))
        elif section == 'UNATTRIBUTED' and re.match(
                r'^  (day|7d|long) +\d+: \d+ / \d+ / \d+$', ln):
            w = {'7d': 'short'}.get(f[0], f[0])
            v['unattributed'][w] = (int(f[1].rstrip(':')), int(f[2]),
                                    int(f[4]), int(f[6]))
        elif section == 'SUSPECTED FORGERY' and len(f) == 9 and \
                f[0] != 'customer':
            v['authenticity'][f[0]] = tuple(int(x) for x in f[1:8])
        elif section == 'VERIFICATION HEALTH' and len(f) == 5 and \
                re.match(r'^\S', ln) and f[0] != 'token':
            v['verification'][(f[0], f[1])] = (int(f[2]), int(f[3]), f[4])
            token = (f[0], f[1])
        elif section == 'VERIFICATION HEALTH' and \
                ln.startswith('all complaint signatures'):
            for m in re.finditer(r'([a-z-]+) (\d+)', ln.split(':', 1)[1]):
                v['mix'][m.group(1)] = int(m.group(2))
        elif section == 'VERIFICATION HEALTH' and v['mix'] and \
                re.match(r'^      \S', ln):
            for m in re.finditer(r'([a-z-]+) (\d+)', ln):
                v['mix'][m.group(1)] = int(m.group(2))
        elif section == 'KEY HYGIENE' and len(f) >= 7 and \
                re.match(r'^\S', ln) and f[0] not in ('token',) and \
                not ln.startswith('('):
            rest = f[4:]
            age = None if rest[1] == '?' else int(rest[1])
            src = 'archive' if 'archived' in rest[3:] else \
                'none' if 'nokey' in rest[3:] else 'dns'
            v['keys'][(f[0], f[1])] = (f[3], src, int(rest[0]), age)
        elif section == 'UNKNOWN TOKENS' and len(f) == 5 and \
                f[0] != 'token':
            v['unknown'][(f[0], f[1])] = (int(f[2]), int(f[3]))
    return v


# ---- HTML ----------------------------------------------------------------
class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.table, self.row, self.cell = [], None, None, None
        self.titles, self.title = [], None

    def handle_starttag(self, tag, attrs):
        if tag == 'table':
            self.table = []
        elif tag == 'tr' and self.table is not None:
            self.row = []
        elif tag in ('td', 'th') and self.row is not None:
            self.cell = ''
        elif tag == 'title':
            self.title = ''

    def handle_endtag(self, tag):
        if tag in ('td', 'th') and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == 'tr' and self.row is not None:
            self.table.append(self.row)
            self.row = None
        elif tag == 'table' and self.table is not None:
            self.tables.append(self.table)
            self.table = None
        elif tag == 'title' and self.title is not None:
            self.titles.append(self.title.strip())
            self.title = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self.title is not None:
            self.title += data


def html_views():
    p = Page()
    p.feed(open(hpath).read())

    def table(first_cols):
        for t in p.tables:
            if t and t[0][:len(first_cols)] == list(first_cols):
                return [dict(zip(t[0], r)) if len(set(t[0])) == len(t[0])
                        else r for r in t[1:]]
        return None
    v = {'customers': {}, 'levels': {}, 'authenticity': {}}
    for r in table(('customer', 'level', 'day')) or []:
        c = r[0]
        v['levels'][c] = (r[1], int(r[10]) if r[10] else 0)
        v['customers'][(c, 'day')] = (r[2], None, r[3])
        v['customers'][(c, 'short')] = (r[4], r[6], r[5])
        v['customers'][(c, 'long')] = (r[7], r[9], r[8])
    # each customer's folded table per ISP, its id in every row
    v['customer_isps'] = {}
    for t in p.tables:
        if t and t[0][:3] == ['customer', 'ISP', 'day']:
            for r in t[1:]:
                v['customer_isps'][(r[0], r[1], 'day')] = (r[2], None, r[3])
                v['customer_isps'][(r[0], r[1], 'short')] = (r[4], r[6], r[5])
                v['customer_isps'][(r[0], r[1], 'long')] = (r[7], r[9], r[8])
    for r in table(('customer', 'forged', 'replayed')) or []:
        v['authenticity'][r['customer']] = tuple(int(r[k]) for k in AUTH)
    v['esp_carried'] = {}
    v['esp_rate'] = {}
    for r in table(('window', 'complaints', 'carried the ESP token')) or []:
        v['esp_carried'][r['window']] = (num(r['complaints']),
                                         num(r['carried the ESP token']),
                                         num(r['verified']))
        v['esp_rate'][r['window']] = (count(num(r['attributed'])),
                                      r['rate'])
    v['unattributed'] = {}
    for r in table(('window', 'complaints', 'ESP token verified')) or []:
        v['unattributed'][r['window']] = (
            num(r['complaints']), num(r['ESP token verified']),
            num(r['ESP token failed']), num(r['no ESP token']))
    v['verification'], v['headers_only'], v['causes'] = {}, {}, {}
    for t in p.tables:
        if t and t[0][:3] == ['token', 'role', 'signatures'] and \
                'headers only' in t[0]:
            for r in (dict(zip(t[0], x)) for x in t[1:]):
                k = (r['token'], r['role'])
                v['verification'][k] = (num(r['signatures']),
                                        num(r['verified']), r['share'])
                v['headers_only'][k] = num(r['headers only'])
                for label, n in causes_items(r['why they failed']).items():
                    v['causes'][k + (label,)] = n
            break   # the first is the complaints', the second samples'
    v['changes'] = {}
    for r in table(('severity', 'what', 'change')) or []:
        v['changes'][(r['severity'], r['change'].split()[0].rstrip(':'))] = \
            change_kind(r['change'])
    v['health'], v['failure_rate'] = {}, {}
    for r in table(('health', 'signatures', 'share')) or []:
        if r['health'] == 'real failure rate':
            v['failure_rate']['all'] = r['share']
        elif num(r['signatures']):
            v['health'][HEALTH[HEALTH_LABELS.index(r['health'])]] = \
                num(r['signatures'])
    v['keys'] = {}
    for r in table(('token', 'selector', 'algorithm', 'bits')) or []:
        bits = r['bits']   # 'none' as the text says it, never -1
        age = None if r['age (months)'] in ('', '?', '-') else \
            int(r['age (months)'])
        src = 'archive' if 'archived' in r['problems'] else \
            'none' if 'no key found' in r['problems'] else 'dns'
        v['keys'][(r['token'], r['selector'])] = (bits, src,
                                                  num(r['signatures']), age)
    v['unknown'] = {}
    for t in p.tables:
        if t and t[0] == ['token', 'role', 'signatures', 'verified']:
            v['unknown'] = {(x[0], x[1]): (num(x[2]), num(x[3]))
                            for x in t[1:]}
    v['mix'] = {}
    try:
        i = p.titles.index('Verification results of complaint signatures '
                           '(long window)')
        for t in p.titles[i + 1:]:
            m = re.match(r'^([a-z-]+): ([\d,]+) \(', t)
            if not m:
                break
            v['mix'][m.group(1)] = num(m.group(2))
    except ValueError:
        pass
    return v


J_, C_, T_, H_ = json_views(), csv_views(), text_views(), html_views()

compare('customers', {'json': J_['customers'], 'csv': C_['customers'],
                      'text': T_['customers']})
# the HTML leaves out the day's change
compare('customers-html', {
    'json': {k: (a, b if k[1] != 'day' else None, c)
             for k, (a, b, c) in J_['customers'].items()},
    'html': H_['customers']})
compare('customer-levels', {'json': J_['levels'], 'csv': C_['levels'],
                            'text': T_['levels'], 'html': H_['levels']})
compare('customer-isps', {'json': J_['customer_isps'],
                          'csv': C_['customer_isps'],
                          'text': T_['customer_isps']})
# the page's folded tables leave out the day's change
compare('customer-isps-html', {
    'json': {k: (a, b if k[2] != 'day' else None, c)
             for k, (a, b, c) in J_['customer_isps'].items()},
    'html': H_['customer_isps']})
compare('authenticity', {'json': J_['authenticity'],
                         'csv': C_['authenticity'],
                         'text': T_['authenticity']})
# the page lists the customers with suspected forgeries only
compare('authenticity-html', {
    'json': {c: a for c, a in J_['authenticity'].items() if a[0] + a[1]},
    'html': H_['authenticity']})
compare('esp', {'json': J_['esp'], 'csv': C_['esp'], 'text': T_['esp']})
compare('esp-html', {'json': {w: (a, r) for w, (a, _, r)
                              in J_['esp'].items()},
                     'html': H_['esp_rate']})
compare('esp-isps', {'json': J_['esp_isps'], 'csv': C_['esp_isps'],
                     'text': T_['esp_isps']})
compare('esp-carried', {'json': J_['esp_carried'], 'csv': C_['esp_carried'],
                        'text': T_['esp_carried'],
                        'html': H_['esp_carried']})
compare('unattributed', {'json': J_['unattributed'],
                         'csv': C_['unattributed'],
                         'text': T_['unattributed'],
                         'html': H_['unattributed']})
compare('verification', {'json': J_['verification'],
                         'csv': C_['verification'],
                         'text': T_['verification'],
                         'html': H_['verification']})
compare('headers-only', {'json': J_['headers_only'],
                         'csv': C_['headers_only'],
                         'html': H_['headers_only']})
compare('verification-mix', {'json': J_['mix'], 'csv': C_['mix'],
                             'text': T_['mix'], 'html': H_['mix']})
total = sum(x[0] for x in J_['verification'].values())
line('verification-mix-is-every-signature',
     [] if sum(J_['mix'].values()) == total else
     ['classes sum to %d, signatures %d' % (sum(J_['mix'].values()),
                                            total)])
compare('failure-causes', {'json': J_['causes'], 'csv': C_['causes'],
                           'text': T_['causes']})
# the page shows the first four of each token
compare('failure-causes-html', {'json': J_['causes_top4'],
                                'html': H_['causes']})
# the causes (report_diagnosis_day) count the failures the mix counts
# (report_verification_day): fail, permerror and policy
failed = sum(J_['mix'].get(k, 0) for k in ('fail', 'permerror', 'policy'))
line('failure-causes-are-every-failure',
     [] if sum(J_['causes'].values()) == failed else
     ['causes sum to %d, failures %d' % (sum(J_['causes'].values()),
                                         failed)])
# the first panel; it may be empty on a quiet day (report_check.py says
# whether it should be)
compare('changes', {'json': J_['changes'], 'csv': C_['changes'],
                    'text': T_['changes'], 'html': H_['changes']},
        may_be_empty=True)
compare('verification-health', {'json': J_['health'], 'csv': C_['health'],
                                'text': T_['health'], 'html': H_['health']})
compare('failure-rate', {'json': J_['failure_rate'],
                         'csv': C_['failure_rate'],
                         'text': T_['failure_rate'],
                         'html': H_['failure_rate']})
line('verification-health-is-every-signature',
     [] if sum(J_['health'].values()) == total else
     ['groups sum to %d, signatures %d' % (sum(J_['health'].values()),
                                           total)])
compare('keys', {'json': J_['keys'], 'csv': C_['keys'], 'text': T_['keys'],
                 'html': H_['keys']})
compare('unknown-tokens', {'json': J_['unknown'], 'csv': C_['unknown'],
                           'text': T_['unknown'], 'html': H_['unknown']},
        may_be_empty=True)
# ---- the views by sending network, by campaign and of token health -------
# (report/views.h).  A list is '*' for all customers, else the customer;
# networks: (sending network or None, complaints per window, attributed of
# the long window); campaigns: (complaints per window, share); tokens:
# (signatures of the long window, share per window, worst day MM-DD, its
# share); their days: (share, signatures); what each list left out.
def views_of_json():
    v = {'networks': {}, 'network_left_out': {}, 'campaigns': {},
         'campaign_left_out': {}, 'health': {}, 'health_days': {},
         'health_left_out': {}}
    sn, cp = J['sending_networks'], J['campaigns']
    for lst in [dict(sn['all'], customer='*')] + sn['customers']:
        for n in lst['networks']:
            v['networks'][(lst['customer'], n['network'])] = (
                n['sending_network'],) + tuple(
                count(n['complaints'][w]) for w in WINDOWS) + (
                count(n['attributed']['long']),)
        if lst['left_out']:
            v['network_left_out'][lst['customer']] = lst['left_out']
    for lst in [dict(cp['all'], customer='*')] + cp['customers']:
        for c in lst['campaigns']:
            v['campaigns'][(lst['customer'], c['customer'], c['source'],
                            c['campaign'])] = tuple(
                count(c['complaints'][w]) for w in WINDOWS) + (
                rate(c['share']),)
        if lst['left_out']:
            v['campaign_left_out'][lst['customer']] = lst['left_out']
    for t in J['token_health']['tokens']:
        k = (t['token'], t['role'])
        v['health'][k] = (count(t['signatures']['long']),) + tuple(
            rate(t['share'][w]) for w in WINDOWS) + (
            t['worst_day'][5:] if t['worst_day'] else None,
            rate(t['worst_share']))
        for d in t['days']:
            v['health_days'][k + (d['day'][5:],)] = (rate(d['share']),
                                                     d['signatures'])
    if J['token_health']['left_out']:
        v['health_left_out']['*'] = J['token_health']['left_out']
    return v


def views_of_csv():
    v = {k: {} for k in ('networks', 'network_left_out', 'campaigns',
                         'campaign_left_out', 'health', 'health_days',
                         'health_left_out')}
    rows = {}
    header = None
    for row in csv.reader(io.StringIO(open(cpath).read())):
        if row and row[0] == 'section':
            header = row
        elif row:
            rows.setdefault(row[0], []).append(dict(zip(header, row)))
    by = {}
    for r in rows.get('network', []):
        by.setdefault((r['list'], r['network']), {})[r['window']] = r
    for k, w in by.items():
        v['networks'][k] = (w['long']['sending_network'] or None,) + tuple(
            count(int(w[x]['complaints'])) for x in WINDOWS) + (
            count(int(w['long']['attributed'])),)
    by = {}
    for r in rows.get('campaign', []):
        by.setdefault((r['list'], r['customer'], r['source'],
                       r['campaign']), {})[r['window']] = r
    for k, w in by.items():
        v['campaigns'][k] = tuple(count(int(w[x]['complaints']))
                                  for x in WINDOWS) + (
            rate(float(w['long']['share']) if w['long']['share']
                 else None),)
    for sec, key in (('network_left_out', 'network_left_out'),
                     ('campaign_left_out', 'campaign_left_out')):
        v[key] = {r['list']: int(r['left_out']) for r in rows.get(sec, [])
                  if int(r['left_out'])}
    by = {}
    for r in rows.get('token_health', []):
        by.setdefault((r['token'], r['role']), {})[r['window']] = r
    for k, w in by.items():
        lo = w['long']
        v['health'][k] = (count(int(lo['signatures'])),) + tuple(
            rate(float(w[x]['share']) if w[x]['share'] else None)
            for x in WINDOWS) + (lo['worst_day'][5:] or None,
                                 rate(float(lo['worst_share'])
                                      if lo['worst_share'] else None))
    for r in rows.get('token_health_day', []):
        v['health_days'][(r['token'], r['role'], r['day'][5:])] = (
            rate(float(r['share'])), int(r['signatures']))
    v['health_left_out'] = {'*': int(r['left_out'])
                            for r in rows.get('token_health_left_out', [])
                            if int(r['left_out'])}
    return v


def views_of_text():
    v = {k: {} for k in ('networks', 'network_left_out', 'campaigns',
                         'campaign_left_out', 'health', 'health_days',
                         'health_left_out')}
    section, lst, tok = None, '*', None
    days = ''
    RATE = r'(\d+\.\d{3}%|>999%|-)'
    CNT = r'(\d+[kMGTP]?)'

    def flush_days():
        for m in re.finditer(r'(\d\d-\d\d) ' + RATE + r' of (\d+)', days):
            v['health_days'][tok + (m.group(1),)] = (m.group(2),
                                                     int(m.group(3)))
    for ln in open(tpath).read().split('\n'):
        if re.match(r'^(SENDING NETWORKS|CAMPAIGNS|TOKEN HEALTH) \(', ln):
            section, lst = ln.split(' (')[0], '*'
            continue
        if re.match(r'^[A-Z][A-Z ]+[:(]', ln):
            section = None
        if section is None:
            continue
        if section == 'TOKEN HEALTH' and ln.startswith('      '):
            days += ' ' + ln.strip()
            continue
        if tok is not None:
            flush_days()
            tok, days = None, ''
        m = re.match(r'^\((\d+) more (networks?|campaigns?|tokens)'
                     r'(, fewer complaints| past the 48 kept)\)$', ln)
        if m:
            key = {'n': 'network_left_out', 'c': 'campaign_left_out',
                   't': 'health_left_out'}[m.group(2)[0]]
            v[key][lst] = int(m.group(1))
            continue
        if section == 'SENDING NETWORKS':
            m = re.match(r'^  (\S+(?: known\))?) +(\S+) +' + ' +'.join(
                [CNT] * 4) + '$', ln)
            if m:
                net = '' if m.group(1) == '(not known)' else m.group(1)
                v['networks'][(lst, net)] = (
                    None if m.group(2) == '-' else m.group(2),) + \
                    m.groups()[2:]
            elif re.match(r'^[^ (]\S*$', ln):
                lst = ln
        elif section == 'CAMPAIGNS':
            m = re.match(r'^(\S+) +(feedback-id|cfbl) +(\S+) +' + ' +'.join(
                [CNT] * 3) + ' +' + RATE + '$', ln)
            if m:
                v['campaigns'][(lst,) + m.groups()[:3]] = m.groups()[3:]
            elif re.match(r'^[^ (]\S*$', ln):
                lst = ln
        elif section == 'TOKEN HEALTH':
            m = re.match(r'^(\S+) +(esp|customer) +' + CNT + ' +' +
                         ' +'.join([RATE] * 3) +
                         r'(?: (\d\d-\d\d) +' + RATE + ')?$', ln)
            if m:
                tok = m.groups()[:2]
                v['health'][tok] = m.groups()[2:]
    if tok is not None:
        flush_days()
    return v


def views_of_html():
    p = Page()
    p.feed(open(hpath).read())
    v = {k: {} for k in ('networks', 'network_left_out', 'campaigns',
                         'campaign_left_out', 'health', 'health_left_out')}

    def name(lst):
        return '*' if lst == 'all customers' else lst
    for t in p.tables:
        if t and t[0][:3] == ['list', 'network', 'sending network']:
            for r in t[1:]:
                v['networks'][(name(r[0]), '' if r[1] == '(not known)'
                               else r[1])] = (r[2] or None,) + tuple(
                    count(num(x)) for x in r[3:7])
        elif t and t[0][:4] == ['list', 'customer', 'source', 'campaign']:
            for r in t[1:]:
                v['campaigns'][(name(r[0]),) + tuple(r[1:4])] = tuple(
                    count(num(x)) for x in r[4:7]) + (r[7],)
        elif t and t[0][:3] == ['token', 'role', 'customer']:
            for r in t[1:]:
                v['health'][(r[0], r[1])] = (count(num(r[3])),) + tuple(
                    r[4:7]) + (r[7][5:] or None, r[8] or '-')
    html = open(hpath).read()
    for m in re.finditer(r'(\d+) more (networks|campaigns) of ([^<]+?) left '
                         r'out', html):
        key = 'network_left_out' if m.group(2) == 'networks' else \
            'campaign_left_out'
        v[key][name(m.group(3))] = int(m.group(1))
    m = re.search(r'(\d+) more tokens left out', html)
    if m:
        v['health_left_out']['*'] = int(m.group(1))
    return v


VJ, VC, VT, VH = (views_of_json(), views_of_csv(), views_of_text(),
                  views_of_html())
for k in ('networks', 'campaigns', 'health'):
    compare('views-' + k, {'json': VJ[k], 'csv': VC[k], 'text': VT[k],
                           'html': VH[k]})
for k in ('network_left_out', 'campaign_left_out', 'health_left_out'):
    compare('views-' + k.replace('_', '-'), {'json': VJ[k], 'csv': VC[k],
                                             'text': VT[k], 'html': VH[k]},
            may_be_empty=True)
compare('views-health-days', {'json': VJ['health_days'],
                              'csv': VC['health_days'],
                              'text': VT['health_days']})
# the chart draws the first tokens of the table, by name
line('views-health-chart', [] if re.search(
    r'Verified share of complaint signatures per day', open(hpath).read())
    or not VJ['health'] else ['no chart of token health'])

sys.exit(1 if failures else 0)
