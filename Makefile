# surveyd — build, test and install.  Everything through pkg-config.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
DATADIR	?= $(PREFIX)/share/surveyd
SYSCONFDIR ?= /etc
DESTDIR	?=

CC	?= cc
PKGS	 = libzip expat freexl sqlite3 glib-2.0 libcrypto xlsxwriter gmime-3.0
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
.PHONY: all check unit cli asan valgrind test deps demo bench install uninstall clean

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
cli: $(B)/surveyd
	SURVEYD=$(CURDIR)/$(B)/surveyd bash tests/cli/run.sh

check: all unit cli

# The unit tests again under AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	$(MAKE) B=build-asan OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" unit

valgrind: $(TESTS)
	@set -e; for t in $(TESTS); do echo "== valgrind $$t"; \
	    CK_FORK=no valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
	    --suppressions=tests/valgrind.supp $$t; done

deps:
	bash scripts/deps.sh

# The README's test command.
test: deps
	$(MAKE) check
	$(MAKE) asan
	$(MAKE) valgrind

# The README's first command.
demo: deps
	$(MAKE) all
	bash scripts/demo.sh

bench: all
	bash bench/run.sh

install: $(B)/surveyd
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/forms $(DESTDIR)$(DATADIR)/rosters
	install -m 0755 $(B)/surveyd $(DESTDIR)$(BINDIR)/surveyd
	cp -R forms/. $(DESTDIR)$(DATADIR)/forms/
	cp -R rosters/. $(DESTDIR)$(DATADIR)/rosters/
	install -d $(DESTDIR)$(SYSCONFDIR)/surveyd
	test -e $(DESTDIR)$(SYSCONFDIR)/surveyd/surveyd.conf || \
	    install -m 0640 surveyd.conf.example $(DESTDIR)$(SYSCONFDIR)/surveyd/surveyd.conf

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/surveyd
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-asan
