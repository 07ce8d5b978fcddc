# fblscope: one binary, built from verifier/ (and later fbl/, report/).
#
#   make            build ./fblscope
#   make demo       install missing packages, verify the bundled samples
#   make test       install missing packages, build (plain and ASan+UBSan), run every test
#   make fuzz       build the libFuzzer targets (clang) and run each for FUZZ_SECONDS
#   make bench      the benchmark (figures and ratios, never pass/fail)
#   make install    PREFIX=/usr/local DESTDIR= (SYSCONFDIR=/etc: where the
#                   binary looks for fblscope.conf by default)
#
# NO_DEPS=1 skips the package installation step (for packagers and CI images
# that already carry the dependencies).

CC        ?= cc
FUZZ_SECONDS ?= 600
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
PKGS      := libcrypto ldns libpcre2-8 libpq
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

.PHONY: all deps demo test unit fuzz bench install clean sanitize

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

$(BUILD)/%.o: %.c
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

install: fblscope
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 0755 fblscope $(DESTDIR)$(BINDIR)/fblscope
	install -m 0644 docs/fblscope.1 $(DESTDIR)$(MANDIR)/man1/fblscope.1
	install -m 0644 docs/fblscope.conf.5 $(DESTDIR)$(MANDIR)/man5/fblscope.conf.5

clean:
	rm -rf build fblscope tests/out

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d)
