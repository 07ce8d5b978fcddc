# SPDX-License-Identifier: ISC
# interop_message.sh: print the unsigned test message used by the interop
# and tamper tests, with CRLF line endings.
#
#   sh tests/lib/interop_message.sh [FROM-DOMAIN] > msg.eml
#
# It is meant to be realistic and awkward for canonicalization: a Received
# field folded with a tab, a long Subject folded over three lines, a header
# field with runs of spaces and trailing whitespace, a multipart/alternative
# MIME body with 8-bit UTF-8 text, lines with trailing spaces and tabs, a line
# of only whitespace, and empty lines at the end of the body (which both body
# canonicalizations remove).  {SP} and {TAB} mark whitespace that must
# survive editors.

dom=${1:-example.test}

sed -e 's/{SP}/ /g' -e 's/{TAB}/	/g' -e "s/{DOM}/$dom/g" -e 's/$/\r/' <<'EOF'
Return-Path: <bounces+4711@{DOM}>
Received: from mta1.{DOM} (mta1.{DOM} [127.0.0.2])
{TAB}by mx.example.net (Postfix) with ESMTPS id 4F2A1C0039
{TAB}for <customer@example.net>; Tue, 14 Jan 2025 10:00:00 +0000 (UTC)
From: =?UTF-8?Q?Zo=C3=AB_at_Example?= <zoe@{DOM}>
To: A Customer <customer@example.net>
Subject: Your February statement is ready - and this subject line is long
 enough that the sender folded it onto a second line
{TAB}and then onto a third one as well
Date: Tue, 14 Jan 2025 10:00:00 +0000
Message-ID: <20250114100000.4711.abcdef@{DOM}>
MIME-Version: 1.0
Content-Type: multipart/alternative;
{TAB}boundary="=_fbl_interop_b1"
List-Unsubscribe: <mailto:unsubscribe@{DOM}?subject=4711>
X-Mailer: fblscope   interop{TAB}test   mailer{SP}{SP}{SP}
X-Campaign:{SP}{SP}feb2025-statement{TAB}

This is a multi-part message in MIME format.

--=_fbl_interop_b1
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

Grüße aus Zürich, Ærøskøbing and Ōsaka!{SP}{SP}{SP}
Your statement for February is ready.{TAB}
{SP}{SP}This line starts with two spaces and has  two  inner  runs.
{SP}{TAB}{SP}
Ünïcödé test: 日本語のテキスト, Ελληνικά, русский текст.{SP}

Kind regards,{SP}
The Example team

--=_fbl_interop_b1
Content-Type: text/html; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

<html><body><p>Gr=C3=BC=C3=9Fe aus Z=C3=BCrich!</p>{SP}{SP}
<p>Your statement for February is ready.</p>{TAB}
</body></html>
--=_fbl_interop_b1--



EOF
