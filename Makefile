# surveyd — build, test and install.  Everything through pkg-config.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
DATADIR	?= $(PREFIX)/share/surveyd
SYSCONFDIR ?= /etc
SYSTEMDDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
MANDIR	?= $(PREFIX)/share/man
DESTDIR	?=

CC	?= cc
PKGS	 = libzip expat freexl sqlite3 glib-2.0 libcrypto xlsxwriter gmime-3.0 libcurl libmicrohttpd libcrypt libsystemd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

WARN	 = -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wpointer-arith -Wformat=2
DEFS	 = -D_GNU_SOURCE -DSURVEYD_DATADIR='"$(DATADIR)"'
INCS	 = -Iparsers -Idaemon -Iexport
OPT	?= -O2 -g
CFLAGS_ALL = $(WARN) $(DEFS) $(INCS) $(OPT) $(PKG_CFLAGS) $(CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lm $(LDLIBS)

PARSER_SRC = $(sort $(wildcard parsers/*.c))
DAEMON_SRC = $(sort $(filter-out daemon/main.c,$(wildcard daemon/*.c)))
EXPORT_SRC = $(sort $(wildcard export/*.c))
TEST_SRC = $(sort $(wildcard tests/unit/check_*.c))
TEST_LIB = tests/unit/testlib.c
TEST_HELPERS = $(filter-out $(TEST_SRC) $(TEST_LIB),$(wildcard tests/unit/*.c))
# Parser tests link only the parsers: the readers depend on nothing above them.
PARSER_TESTS = grid xlsx ods xls csv zipfile charset sandbox

# B is the build folder: build/ normally, build-asan/ for the sanitizer run.
B	?= build
PARSER_OBJ = $(PARSER_SRC:%.c=$(B)/%.o)
DAEMON_OBJ = $(DAEMON_SRC:%.c=$(B)/%.o)
EXPORT_OBJ = $(EXPORT_SRC:%.c=$(B)/%.o)
TESTS	 = $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)

.SECONDARY:
.PHONY: all check unit cli asan valgrind fuzz test deps demo bench install uninstall clean

all: $(B)/surveyd

$(B)/%.o: %.c $(wildcard parsers/*.h daemon/*.h export/*.h tests/unit/*.h)
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS_ALL) $(CHECK_CFLAGS) -c -o $@ $<

$(B)/libparsers.a: $(PARSER_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(B)/libdaemon.a: $(DAEMON_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(B)/libexport.a: $(EXPORT_OBJ)
	@rm -f $@
	@ar rcs $@ $^

# The daemon's commands call the exporters, which read the store: the
# archives are listed so each finds what the next provides.
$(B)/surveyd: $(B)/daemon/main.o $(B)/libdaemon.a $(B)/libexport.a $(B)/libdaemon.a $(B)/libparsers.a
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $+ $(LDFLAGS) $(LDLIBS_ALL)

$(PARSER_TESTS:%=$(B)/tests/check_%): $(B)/tests/check_%: $(B)/tests/unit/check_%.o $(B)/tests/unit/testlib.o $(B)/libparsers.a
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDFLAGS) $(CHECK_LIBS) $(LDLIBS_ALL)

$(B)/tests/check_%: $(B)/tests/unit/check_%.o $(B)/tests/unit/testlib.o $(TEST_HELPERS:%.c=$(B)/%.o) $(B)/libdaemon.a $(B)/libexport.a $(B)/libdaemon.a $(B)/libparsers.a
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $+ $(LDFLAGS) $(CHECK_LIBS) $(LDLIBS_ALL)

# Unit tests: one Check binary per module, run from the top folder so the
# fixtures resolve.
unit: $(TESTS)
	@set -e; for t in $(TESTS); do echo "== $$t"; $$t; done

# Command-line tests: the real binary against real files and a real store.
cli: $(B)/surveyd $(B)/tests/smtp_send
	SURVEYD=$(CURDIR)/$(B)/surveyd bash tests/cli/run.sh

check: all unit cli

# Sends mail with message.c and smtp.c until the commands that send exist.
$(B)/tests/smtp_send: $(B)/tests/tools/smtp_send.o $(B)/libdaemon.a $(B)/libexport.a $(B)/libdaemon.a $(B)/libparsers.a
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $+ $(LDFLAGS) $(LDLIBS_ALL)

# The unit tests again under AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	$(MAKE) B=build-asan OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" unit

valgrind: $(TESTS)
	@set -e; for t in $(TESTS); do echo "== valgrind $$t"; \
	    CK_FORK=no valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
	    --suppressions=tests/valgrind.supp $$t; done

# libFuzzer targets (clang, ASan, UBSan), each run FUZZ_SECONDS on a copy of
# its seed corpus in tests/fuzz/corpus/; a crash leaves its input in
# build-fuzz/ and fails the target.
FUZZ_SECONDS ?= 60
FUZZ_CC	 = clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	     $(DEFS) $(INCS) $(PKG_CFLAGS)
FUZZ_PARSERS = tests/fuzz/fuzz_reader.c $(PARSER_SRC)
FUZZ_TARGETS = xlsx ods csv zip constraint mime xls definition config template

build-fuzz/fuzz_xlsx: EXTRA = -DFUZZ_READER=reader_xlsx
build-fuzz/fuzz_ods: EXTRA = -DFUZZ_READER=reader_ods
build-fuzz/fuzz_csv: EXTRA = -DFUZZ_READER=reader_csv
build-fuzz/fuzz_xlsx build-fuzz/fuzz_ods build-fuzz/fuzz_csv build-fuzz/fuzz_zip: $(FUZZ_PARSERS) $(wildcard parsers/*.h)
	@mkdir -p build-fuzz
	@echo "FUZZ $@"
	@$(FUZZ_CC) $(FUZZ_FLAGS) $(EXTRA) -o $@ $(FUZZ_PARSERS) $(PKG_LIBS) -lm
build-fuzz/fuzz_constraint: tests/fuzz/fuzz_constraint.c daemon/constraint.c daemon/value.c
	@mkdir -p build-fuzz
	@echo "FUZZ $@"
	@$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $^ $(PKG_LIBS) -lm
# freexl's own faults are suppressed in every target that can reach it.
FUZZ_FREEXL = tests/fuzz/freexl_suppress.c
build-fuzz/fuzz_xls: tests/fuzz/fuzz_xls.c $(FUZZ_FREEXL) $(PARSER_SRC) $(wildcard parsers/*.h)
	@mkdir -p build-fuzz
	@echo "FUZZ $@"
	@$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_FREEXL) $(PARSER_SRC) $(PKG_LIBS) -lm
# The loaders reach most of the daemon: its objects compiled once, archived.
FUZZ_OBJ = $(patsubst %.c,build-fuzz/obj/%.o,$(DAEMON_SRC) $(EXPORT_SRC) $(PARSER_SRC))
build-fuzz/obj/%.o: %.c $(wildcard parsers/*.h daemon/*.h export/*.h)
	@mkdir -p $(dir $@)
	@$(FUZZ_CC) $(FUZZ_FLAGS) -c -o $@ $<
build-fuzz/libsurveyd.a: $(FUZZ_OBJ)
	@rm -f $@
	@ar rcs $@ $^
build-fuzz/fuzz_mime build-fuzz/fuzz_definition build-fuzz/fuzz_config build-fuzz/fuzz_template: build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_FREEXL) build-fuzz/libsurveyd.a
	@echo "FUZZ $@"
	@$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $^ $(PKG_LIBS) -lm

# FUZZ_CI=1 (the test command) runs xls as a fixed sequence of inputs:
# freexl 1.0.6 has a double free no harness can step round
# (tests/fuzz/README), so a random run could stop on it by chance.
FUZZ_CI	?=
fuzz: $(FUZZ_TARGETS:%=build-fuzz/fuzz_%)
	@set -e; for t in $(FUZZ_TARGETS); do \
	    rm -rf build-fuzz/corpus-$$t; mkdir -p build-fuzz/corpus-$$t; \
	    cp tests/fuzz/corpus/$$t/* build-fuzz/corpus-$$t/; \
	    fixed=; [ -n "$(FUZZ_CI)" ] && [ $$t = xls ] && \
	        fixed="-seed=1 -runs=$$(($(FUZZ_SECONDS) * 100))"; \
	    echo "== fuzz $$t for $(FUZZ_SECONDS) s $$fixed"; \
	    (cd build-fuzz && ./fuzz_$$t -max_total_time=$(FUZZ_SECONDS) $$fixed \
	        -rss_limit_mb=2048 -max_len=262144 -print_final_stats=1 \
	        corpus-$$t >fuzz-$$t.log 2>&1) || \
	        { tail -n 40 build-fuzz/fuzz-$$t.log; exit 1; }; \
	    grep -E "^stat::(number_of_executed_units|new_units_added)" \
	        build-fuzz/fuzz-$$t.log; done

deps:
	bash scripts/deps.sh

# The README's test command.
test: deps
	$(MAKE) check
	$(MAKE) asan
	$(MAKE) valgrind
	$(MAKE) fuzz FUZZ_SECONDS=5 FUZZ_CI=1

# The README's first command.
demo: deps
	$(MAKE) all
	bash scripts/demo.sh

bench: all
	bash bench/run.sh

# The reminder scheduler's decisions for a large roster, timed.
$(B)/bench_remind: $(B)/bench/bench_remind.o $(B)/libdaemon.a $(B)/libexport.a $(B)/libdaemon.a $(B)/libparsers.a
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $+ $(LDFLAGS) $(LDLIBS_ALL)

# The config holds no secrets (they are credentials), and the daemon's own
# user must read it: 0644.  An administrator's surveyd.conf is never
# overwritten; the commented example beside it always is.
install: $(B)/surveyd
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/forms $(DESTDIR)$(DATADIR)/rosters \
	    $(DESTDIR)$(SYSTEMDDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5
	install -m 0755 $(B)/surveyd $(DESTDIR)$(BINDIR)/surveyd
	cp -R forms/. $(DESTDIR)$(DATADIR)/forms/
	cp -R rosters/. $(DESTDIR)$(DATADIR)/rosters/
	if [ -d templates ]; then install -d $(DESTDIR)$(DATADIR)/templates && \
	    cp -R templates/. $(DESTDIR)$(DATADIR)/templates/; fi
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	    systemd/surveyd.service.in > $(DESTDIR)$(SYSTEMDDIR)/surveyd.service
	chmod 0644 $(DESTDIR)$(SYSTEMDDIR)/surveyd.service
	install -m 0644 systemd/surveyd.sysusers $(DESTDIR)$(SYSUSERSDIR)/surveyd.conf
	install -m 0644 systemd/surveyd.tmpfiles $(DESTDIR)$(TMPFILESDIR)/surveyd.conf
	install -m 0644 man/surveyd.8 $(DESTDIR)$(MANDIR)/man8/surveyd.8
	install -m 0644 man/surveyd.conf.5 $(DESTDIR)$(MANDIR)/man5/surveyd.conf.5
	install -d $(DESTDIR)$(SYSCONFDIR)/surveyd
	install -d -m 0700 $(DESTDIR)$(SYSCONFDIR)/surveyd/credentials
	install -m 0644 surveyd.conf.example $(DESTDIR)$(SYSCONFDIR)/surveyd/surveyd.conf.example
	test -e $(DESTDIR)$(SYSCONFDIR)/surveyd/surveyd.conf || \
	    install -m 0644 surveyd.conf.example $(DESTDIR)$(SYSCONFDIR)/surveyd/surveyd.conf

# Everything install put, except the administrator's config and secrets.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/surveyd $(DESTDIR)$(SYSTEMDDIR)/surveyd.service \
	    $(DESTDIR)$(SYSUSERSDIR)/surveyd.conf $(DESTDIR)$(TMPFILESDIR)/surveyd.conf \
	    $(DESTDIR)$(MANDIR)/man8/surveyd.8 $(DESTDIR)$(MANDIR)/man5/surveyd.conf.5 \
	    $(DESTDIR)$(SYSCONFDIR)/surveyd/surveyd.conf.example
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-asan build-fuzz
