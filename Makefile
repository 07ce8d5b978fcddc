# SPDX-License-Identifier: ISC
# fblscope: one binary, built from verifier/ (and later fbl/, report/).
#
#   make            build ./fblscope
#   make demo       install missing packages, verify the bundled samples
#   make test       install missing packages, build (plain and ASan+UBSan), run every test
#   make fuzz       build the libFuzzer targets (clang) and run each for FUZZ_SECONDS
#   make bench      the benchmark (figures and ratios, never pass/fail)
#   make install    PREFIX=/usr/local DESTDIR= SYSCONFDIR=/etc: the binary,
#                   man pages, nightly script and its units, examples
#   make uninstall  the same variables: removes what install put there
#
# NO_DEPS=1 skips the package installation step (for packagers and CI images
# that already carry the dependencies).

CC        ?= cc
FUZZ_SECONDS ?= 600
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
LIBEXECDIR ?= $(PREFIX)/libexec
DOCDIR    ?= $(PREFIX)/share/doc/fblscope
UNITDIR   ?= $(PREFIX)/lib/systemd/system
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
PKGS      := libcrypto ldns libpcre2-8 libpq libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN      := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
             -Wmissing-prototypes -Wvla -Wformat=2
CFLAGS    ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) \
             -DCONFIG_DEFAULT_PATH='"$(SYSCONFDIR)/fblscope.conf"' \
             -I. $(PKG_CFLAGS) $(CFLAGS)
LDLIBS    += $(PKG_LIBS) -lpthread

BUILD     ?= build/release
LIB_SRC   := $(sort $(wildcard base/*.c verifier/*.c fbl/*.c fbl/*/*.c report/*.c))
SQL_SRC   := $(sort $(wildcard sql/[0-9]*.sql))
SQL_DEFS  := sql/definitions.sql
GEN_SRC   := $(BUILD)/gen/migrations.c
CMD_SRC   := fblscope.c
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/migrations.o
CMD_OBJ   := $(CMD_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps demo test unit fuzz bench install uninstall clean sanitize FORCE

all: fblscope

fblscope: $(BUILD)/fblscope
	$(Q)cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/fblscope: $(CMD_OBJ) $(BUILD)/libfblscope.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libfblscope.a: $(LIB_OBJ)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

# The SQL migrations and definitions are compiled in: `db migrate` needs
# no files.
$(GEN_SRC): sql/embed.sh $(SQL_DEFS) $(SQL_SRC)
	@mkdir -p $(dir $@)
	$(Q)sh sql/embed.sh $@ $(SQL_DEFS) $(SQL_SRC)

$(BUILD)/gen/migrations.o: $(GEN_SRC)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# V=1 shows the full commands.
Q         := $(if $(V),,@)

# The default configuration path is compiled in (fbl/config.h): objects
# are built again when SYSCONFDIR is not what they were built with.
$(BUILD)/sysconfdir: FORCE
	@mkdir -p $(dir $@)
	@echo '$(SYSCONFDIR)' | cmp -s - $@ || echo '$(SYSCONFDIR)' > $@

FORCE:

$(BUILD)/%.o: %.c $(BUILD)/sysconfdir
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/libfblscope.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(filter %.c,$^) \
	    $(BUILD)/libfblscope.a $(LDLIBS)

# A test too long for one file keeps its other parts beside it, named for
# it but not test_*.c (each of those is a program of its own).
$(BUILD)/tests/test_keyfetch: tests/unit/keyfetch_fake.c \
    tests/unit/keyfetch_nsd.c tests/unit/keyfetch_test.h
$(BUILD)/tests/test_arf: tests/unit/arf_providers.c tests/unit/arf_test.h
$(BUILD)/tests/test_mailsource: tests/unit/mailsource_streams.c \
    tests/unit/mailsource_test.h

unit: $(UNIT_BIN) $(BUILD)/base-alone

# base/ depends on libc and OpenSSL only: every base object linked with
# nothing but libcrypto (an object is linked whole, so any call into ldns,
# PCRE2, libpq or another folder fails here), and no include of another
# folder's header.
BASE_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(sort $(wildcard base/*.c)))
$(BUILD)/base-alone: $(BASE_OBJ) tests/unit/base_alone.c
	@$(if $(Q),echo "  LD      $@ (base/ with libc and libcrypto only)")
	$(Q)if grep -n '#include "' base/*.c base/*.h | grep -v '#include "base/'; then \
	    echo "base/ includes a header outside base/" >&2; exit 1; fi
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ tests/unit/base_alone.c $(BASE_OBJ) \
	    $$(pkg-config --libs libcrypto)

# The sanitizer build lives beside the release build; tests/run.sh uses both.
# clang's UBSan checks more than gcc's (e.g. arithmetic on a null pointer).
SAN_CC    ?= $(shell command -v clang >/dev/null 2>&1 && echo clang || echo $(CC))
sanitize:
	$(MAKE) CC=$(SAN_CC) BUILD=build/asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" build/asan/fblscope unit

deps:
	@if [ "$(NO_DEPS)" != 1 ]; then sh tests/lib/deps.sh; fi

demo: deps
	$(MAKE) all
	sh samples/demo.sh

test: deps
	$(MAKE) all unit
	$(MAKE) sanitize
	sh tests/run.sh

fuzz: deps
	$(MAKE) $(GEN_SRC)
	sh tests/fuzz/run.sh $(FUZZ_SECONDS)

bench: deps
	$(MAKE) all
	sh tests/bench/run.sh

# The paths the installed files name (the nightly script's settings and
# binary, the units' ExecStart) are those of this install, DESTDIR aside.
NIGHTLY_SED = sed -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		  -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g'
UNITS := fblscope-nightly.service fblscope-nightly.timer \
	 fblscope-keys-audit.service fblscope-keys-audit.timer

install: fblscope
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(LIBEXECDIR)/fblscope \
	    $(DESTDIR)$(SYSCONFDIR)/fblscope $(DESTDIR)$(DOCDIR) \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 fblscope $(DESTDIR)$(BINDIR)/fblscope
	install -m 0644 docs/fblscope.1 $(DESTDIR)$(MANDIR)/man1/fblscope.1
	install -m 0644 docs/fblscope.conf.5 $(DESTDIR)$(MANDIR)/man5/fblscope.conf.5
	$(NIGHTLY_SED) fbl/nightly/fblscope-nightly.sh \
	    > $(DESTDIR)$(LIBEXECDIR)/fblscope/nightly
	chmod 0755 $(DESTDIR)$(LIBEXECDIR)/fblscope/nightly
	$(NIGHTLY_SED) fbl/nightly/nightly.conf.example \
	    > $(DESTDIR)$(SYSCONFDIR)/fblscope/nightly.conf.example
	install -m 0644 samples/fblscope.conf \
	    $(DESTDIR)$(SYSCONFDIR)/fblscope/fblscope.conf.example
	for u in $(UNITS); do \
		$(NIGHTLY_SED) fbl/nightly/$$u > $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	install -m 0644 fbl/nightly/fblscope.bash $(DESTDIR)$(BASHCOMPDIR)/fblscope
	install -m 0644 docs/operations.md docs/security.md LICENSE \
	    $(DESTDIR)$(DOCDIR)/

# Exactly what install put there; the settings an operator wrote
# (fblscope.conf, nightly.conf) and the directories stay.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fblscope \
	    $(DESTDIR)$(MANDIR)/man1/fblscope.1 \
	    $(DESTDIR)$(MANDIR)/man5/fblscope.conf.5 \
	    $(DESTDIR)$(LIBEXECDIR)/fblscope/nightly \
	    $(DESTDIR)$(SYSCONFDIR)/fblscope/nightly.conf.example \
	    $(DESTDIR)$(SYSCONFDIR)/fblscope/fblscope.conf.example \
	    $(DESTDIR)$(BASHCOMPDIR)/fblscope \
	    $(DESTDIR)$(DOCDIR)/operations.md $(DESTDIR)$(DOCDIR)/security.md \
	    $(DESTDIR)$(DOCDIR)/LICENSE
	for u in $(UNITS); do rm -f $(DESTDIR)$(UNITDIR)/$$u; done
	-rmdir $(DESTDIR)$(LIBEXECDIR)/fblscope $(DESTDIR)$(DOCDIR) 2>/dev/null

clean:
	rm -rf build fblscope tests/out

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d)
