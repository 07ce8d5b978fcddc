# SPDX-License-Identifier: ISC
# mailbox_rows.sh: what tests/lib/mailbox_check.py compares with the
# generator's manifest, dumped from a database (POSIX sh; source it).
#
#   mailbox_rows DB ROWS.tsv DAILY.tsv
#
# ROWS.tsv: one line per signature of each report (a report without one:
# role '-'), with its authenticity and diagnosis class; DAILY.tsv: daily_signature summed by
# kind, token, role, result and reason.
mailbox_rows() {	# db rows daily
	psql "$1" -AtF '	' -c "SELECT encode(r.fingerprint, 'hex'), r.kind,
	    coalesce(r.feedback_type, '-'), coalesce(r.reporter, '-'),
	    coalesce(s.role, '-'), coalesce(s.result, '-'), coalesce(s.reason, '-'),
	    coalesce(s.archived_verdict, '-'), coalesce(r.authenticity, '-'),
	    coalesce(s.diagnosis, '-')
	    FROM report r LEFT JOIN signature s USING (msg_day, fingerprint)" > "$2" &&
	psql "$1" -AtF '	' -c "SELECT kind, coalesce(token, ''), role, result,
	    reason, sum(count) FROM daily_signature GROUP BY 1, 2, 3, 4, 5" > "$3"
}
