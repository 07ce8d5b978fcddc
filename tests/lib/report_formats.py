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
sys.exit(1 if failures else 0)
