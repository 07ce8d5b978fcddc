#!/bin/sh
# SPDX-License-Identifier: ISC
# volume_import.sh: `fblscope volume import` reads RFC 4180 CSV as
# spreadsheets and exports write it (quoted fields, columns in any order,
# CR LF), lists unknown ISPs and customers with FILE:LINE and stores
# nothing (exit 2) unless --allow-unknown, caps what it shows, refuses a
# file over the row limit, and the example of fblscope(1) gives exactly
# the output shown there (issue 13, item 8).
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
if ! need_cmd psql awk; then
	skip volume-import/all "psql or awk missing"
	exit 0
fi
if ! sh "$FBL_ROOT/tests/lib/pg.sh" start "$T/pg" "$(free_port)" > "$T/conninfo" 2> "$T/pg.err"; then
	not_ok volume-import/start-postgresql "$(cat "$T/pg.err")"
	exit 1
fi
at_exit "sh '$FBL_ROOT/tests/lib/pg.sh' stop '$T/pg'"
DB=$(cat "$T/conninfo")
q() { psql "$DB" -Atc "$1"; }
"$FBL_BIN" db migrate --db "$DB" > /dev/null || { not_ok volume-import/migrate failed; exit 1; }

cd "$T" || exit 1
cat > fblscope.conf <<'EOF'
esp-domain	fbl.myesp.example
customer	cust-001 customer.example
customer	cust-002 shop.example
customer-regex	cust-003 '(?:[a-z0-9-]+\.)+brand\.example'
EOF
vol() {	# out-prefix args...; status in $rc
	_o=$1
	shift
	"$FBL_BIN" volume import --db "$DB" "$@" > "$_o.out" 2> "$_o.all"
	rc=$?
	# the figures for a machine apart (volume-import/summary checks them)
	grep '^fblscope volume: summary ' "$_o.all" > "$_o.sum"
	grep -v '^fblscope volume: summary ' "$_o.all" > "$_o.err"
}

# ---- an export: quoted, columns in another order, CR LF ----------------------
printf '"ISP","Day","Token","Sent","Delivered"\r\n"yahoo","2026-11-01","Customer.Example","1000","850"\r\n"*","2026-11-01","cust-002","400",""\r\n\r\n"aol" , 2026-11-01 , "shop.brand.example" , 30 ,\r\nmicrosoft,2026-11-01,FBL.myesp.example.,7,\r\n' > export.csv
vol r1 --config fblscope.conf export.csv
check_eq volume-import/export-exit "$rc" 0 "$(cat r1.err)"
check_eq volume-import/export-says "$(cat r1.err)" "fblscope volume: 4 rows stored"
check_eq volume-import/summary "$(cat r1.sum)" \
    "fblscope volume: summary files=1 rows=4 stored=4 problems=0 unknown_allowed=0"
check_eq volume-import/export-rows \
    "$(q "SELECT day, token, reporter, sent, coalesce(delivered::text, '-') FROM volume ORDER BY token, reporter" | tr '\n' ' ')" \
    "2026-11-01|cust-002|*|400|- 2026-11-01|customer.example|yahoo|1000|850 2026-11-01|fbl.myesp.example|microsoft|7|- 2026-11-01|shop.brand.example|aol|30|- "

# ---- unknown ISP and customer: all listed, nothing stored --------------------
q "TRUNCATE volume" > /dev/null
printf 'day,token,isp,sent\n2026-11-02,customer.example,yahoo,5\n2026-11-02,customer.example,hotmail,5\n2026-11-02,cust-99,*,5\n"2026-11-02","other.example","gmx","5"\n' > unknown.csv
vol r2 --config fblscope.conf unknown.csv
check_eq volume-import/unknown-exit "$rc" 2
check_eq volume-import/unknown-listed "$(cat r2.err)" "unknown.csv:3: isp \"hotmail\" is no reporter fblscope knows (did you mean microsoft?)
unknown.csv:4: token \"cust-99\" is no customer id of fblscope.conf
unknown.csv:5: token \"other.example\" is no customer or ESP domain of fblscope.conf
fblscope volume: nothing stored"
check_eq volume-import/unknown-nothing-stored "$(q 'SELECT count(*) FROM volume')" 0
vol r3 --config fblscope.conf --allow-unknown unknown.csv
check_eq volume-import/allow-unknown-exit "$rc" 0 "$(cat r3.err)"
check_eq volume-import/allow-unknown-warns "$(grep -c '^unknown.csv:[345]: warning: ' r3.err)" 3
check_eq volume-import/allow-unknown-says "$(tail -n 1 r3.err)" \
    "fblscope volume: 4 rows stored; 3 unknown names allowed (--allow-unknown)"
check_eq volume-import/allow-unknown-stored "$(q 'SELECT count(*) FROM volume')" 4
# tokens are checked against the configuration, so one is needed: without
# one (no --config, no FBLSCOPE_CONFIG, no /etc/fblscope.conf) nothing is read
q "TRUNCATE volume" > /dev/null
if [ -e /etc/fblscope.conf ]; then
	skip volume-import/no-config "/etc/fblscope.conf exists on this machine"
else
	env -u FBLSCOPE_CONFIG "$FBL_BIN" volume import --db "$DB" unknown.csv \
	    > r4.out 2> r4.err
	check_eq volume-import/no-config "$?:$(cat r4.err):$(q 'SELECT count(*) FROM volume')" \
	    "2:fblscope volume: no configuration: give --config FILE, set FBLSCOPE_CONFIG, or create /etc/fblscope.conf (see fblscope.conf(5)):0"
fi

# ---- 25 problems: 20 shown, then how many more ---------------------------------
awk 'BEGIN { print "day,token,isp,sent"; for (i = 1; i <= 25; i++) printf "2026-11-03,cust-%d,*,1\n", 100 + i }' > many.csv
vol r5 --config fblscope.conf many.csv
check_eq volume-import/cap-exit "$rc" 2
check_eq volume-import/cap-shown "$(grep -c '^many.csv:[0-9]*: token' r5.err)" 20
check_eq volume-import/cap-more "$(grep -c '^fblscope volume: \.\.\. and 5 more problems (25 in all)$' r5.err)" 1

# ---- the limits: a line, fields, rows ---------------------------------------
awk 'BEGIN { printf "day,token,isp,sent\n2026-11-04,"; for (i = 0; i < 4100; i++) printf "a"; print ".example,*,1" }' > long.csv
vol r6 long.csv
check_eq volume-import/line-limit "$rc $(grep -c '^long.csv:2: a record longer than 4096 bytes$' r6.err)" "2 1"
printf 'day,token,isp,sent\n2026-11-04,a.example,*,1,,,,,,,,,,,,,\n' > wide.csv
vol r7 wide.csv
check_eq volume-import/field-limit "$rc $(grep -c '^wide.csv:2: more than 16 fields$' r7.err)" "2 1"
awk 'BEGIN { print "day,token,isp,sent"; for (i = 0; i <= 1000000; i++) printf "2026-11-05,t%d.example,*,1\n", i }' > rows.csv
vol r8 rows.csv
check_eq volume-import/row-limit "$rc $(grep -c '^rows.csv:1000002: more than 1000000 rows: split the file$' r8.err)" "2 1" "$(head -3 r8.err)"
check_eq volume-import/limits-nothing-stored "$(q 'SELECT count(*) FROM volume')" 0

# ---- the example of fblscope(1), as printed there ------------------------------
# the lines between ".\" volume-example-begin" and ".\" volume-example-end"
# of the man page: "$ command" lines, the file shown by cat, and the output
sed -n '/^\.\\" volume-example-begin/,/^\.\\" volume-example-end/p' "$FBL_ROOT/docs/fblscope.1" |
    sed -e '1d' -e '$d' -e '/^\.[A-Z][a-z]/d' -e 's/\\e/\\/g' -e 's/\\-/-/g' > man-example.txt
if [ ! -s man-example.txt ]; then
	not_ok volume-import/man-example "no example between the markers in docs/fblscope.1"
else
	# the file: the lines after "$ cat volumes.csv" up to the next "$ "
	awk '/^\$ cat volumes.csv$/ { f = 1; next } /^\$ / { f = 0 } f' man-example.txt > volumes.csv
	cp fblscope.conf example.conf
	: > got.txt
	grep '^\$ ' man-example.txt | sed 's/^\$ //' | while IFS= read -r cmd; do
		printf '$ %s\n' "$cmd" >> got.txt
		case $cmd in
		"cat "*) cat volumes.csv >> got.txt ;;
		*) eval "FBLSCOPE_DB=\"\$DB\"; $(printf '%s' "$cmd" | sed 's|^fblscope |"$FBL_BIN" |; s|--config /etc/fblscope.conf|--db "$FBLSCOPE_DB" --config example.conf|')" >> got.txt 2>&1
		   printf 'exit %s\n' "$?" >> got.txt ;;
		esac
	done
	grep -v '^exit ' got.txt > got-shown.txt
	if cmp -s got-shown.txt man-example.txt; then
		ok volume-import/man-example
	else
		not_ok volume-import/man-example "$(diff man-example.txt got-shown.txt | head -8)"
	fi
	check_eq volume-import/man-example-exits "$(grep '^exit ' got.txt | tr '\n' ' ')" "exit 2 exit 0 "
fi

fbl_done
exit $?
