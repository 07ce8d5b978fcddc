#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# Benchmark harness: verify every DKIM signature of the listed messages with
# Perl Mail::DKIM (Debian's libmail-dkim-perl; ed25519 needs libcryptx-perl),
# in one process, keys from a zone file instead of DNS.
#
# usage: perl maildkim_bench.pl ZONE LIST [COUNT]
#
# LIST holds one message file name a line (relative to the current
# directory); only the first COUNT are verified when COUNT is given.  Prints:
#     maildkim messages N signatures S passed P unsupported U seconds T
# where T is the CPU time of the verification loop (reading the files
# included, interpreter start-up and zone loading excluded) and U counts the
# signatures this Mail::DKIM refuses as an "unsupported algorithm" (Debian
# 12's 1.20230212 predates its ed25519-sha256 support): run.sh expects
# P + U to be every signature.  The first few
# failures go to stderr.  Run it under `taskset -c N` to pin it to one core.
use strict;
use warnings;
use Mail::DKIM::Verifier;

@ARGV == 2 || @ARGV == 3 or die "usage: perl maildkim_bench.pl ZONE LIST [COUNT]\n";
my ( $zone, $list, $count ) = @ARGV;

# owner name (lower case, absolute) -> [ character-strings of the first TXT ]
my %txt;
open my $zf, '<:raw', $zone or die "$zone: $!\n";
while ( my $line = <$zf> ) {
    $line =~ s/\s+\z//;
    next if $line =~ /^\s*(;|$)/;
    $line =~ /^(\S+)\s+\d+\s+IN\s+TXT\s+(.*)$/ or die "unsupported zone line: $line\n";
    my ( $name, $rest ) = ( lc $1, $2 );
    my @s;
    while ( $rest =~ /"((?:[^"\\]|\\.)*)"/g ) {
        ( my $v = $1 ) =~ s/\\(.)/$1/g;
        push @s, $v;
    }
    $txt{$name} //= \@s;
}
close $zf;

# Answer Mail::DKIM's TXT queries from the zone: a name absent is NXDOMAIN.
{
    no warnings 'redefine';
    *Mail::DKIM::DNS::query = sub {
        my ( $domain, $type ) = @_;
        die "can't lookup $type record\n" if $type ne 'TXT';
        my $n = lc $domain;
        $n .= '.' unless $n =~ /\.\z/;
        my $s = $txt{$n} or return;
        return bless { s => $s }, 'BenchTxtRR';
    };
}

open my $lf, '<', $list or die "$list: $!\n";
my @files = grep { length } map { s/\s+\z//r } <$lf>;
close $lf;
splice @files, $count if defined $count && $count < @files;

my ( $nsig, $npass, $nunsup, $shown ) = ( 0, 0, 0, 0 );
my $t0 = ( times() )[0] + ( times() )[1];
for my $fn (@files) {
    open my $fh, '<:raw', $fn or die "$fn: $!\n";
    my $msg = do { local $/; <$fh> };
    close $fh;
    my $v = Mail::DKIM::Verifier->new();
    $v->PRINT($msg);
    $v->CLOSE;
    for my $s ( $v->signatures ) {
        $nsig++;
        my $r = $s->result // 'none';
        if ( $r eq 'pass' ) {
            $npass++;
        }
        elsif ( ( $s->result_detail // '' ) =~ /unsupported algorithm/ ) {
            $nunsup++;
        }
        elsif ( $shown++ < 5 ) {
            printf STDERR "maildkim: %s d=%s: %s %s\n", $fn, $s->domain // '?', $r,
              $s->result_detail // '';
        }
    }
}
my $t = ( times() )[0] + ( times() )[1] - $t0;
printf "maildkim messages %d signatures %d passed %d unsupported %d seconds %.3f\n",
  scalar @files, $nsig, $npass, $nunsup, $t;

package BenchTxtRR;
sub type          { 'TXT' }
sub txtdata       { @{ $_[0]{s} } }
sub char_str_list { @{ $_[0]{s} } }
