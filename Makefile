# spaces: small Unix commands for people who host X Spaces.
# make [all] | check | demo | install | uninstall | clean | bench | fuzz | deps

VERSION = 0.1.0
PREFIX = /usr/local
DESTDIR =
BINDIR = $(PREFIX)/bin
DATADIR = $(PREFIX)/share
MANDIR = $(DATADIR)/man
RULESDIR = $(DATADIR)/spaces/rules
BASHDIR = $(DATADIR)/bash-completion/completions
ZSHDIR = $(DATADIR)/zsh/site-functions
FISHDIR = $(DATADIR)/fish/vendor_completions.d

# O is the build directory: build/ for make, build/check/ for make check.
O = build
CC = cc
AR = ar
CFLAGS = -O2 -g
LDFLAGS =
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wpointer-arith -Wno-unused-parameter
# SAN=1: AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer.
SAN =
SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
SANFLAGS = $(if $(SAN),$(SANITIZE))
WERROR =

# Every library the toolkit may use, listed once.  -Wl,--as-needed keeps
# each command linked against only what its objects call.
PKGS = libcurl jansson opus ogg opusfile sndfile libarchive libical libebur128 \
	samplerate libcrypto
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS)) -lfaad -lm -pthread

SP_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(LIBINC) $(PKG_CFLAGS) \
	-DSP_VERSION='"$(VERSION)"' -DSP_RULESDIR='"$(RULESDIR)"' \
	$(WARN) $(if $(WERROR),-Werror) $(SANFLAGS) $(CFLAGS)
SP_LDFLAGS = -Wl,--as-needed $(SANFLAGS) $(LDFLAGS)

# lib/ is layered, bottom to top; a module uses only its own folder and
# the folders below it (lib/README; tests/cli/source.t checks it).
LAYERS = base media x plan
LIBINC = $(LAYERS:%=-Ilib/%)
LIBSRC = $(sort $(foreach l,$(LAYERS),$(wildcard lib/$(l)/*.c)))
CMDS = $(patsubst cmd/%.c,%,$(sort $(wildcard cmd/spaces.c cmd/spaces-*.c)))
UNITS = $(patsubst tests/unit/%.c,%,$(sort $(wildcard tests/unit/t_*.c)))
FUZZERS = $(patsubst fuzz/%.c,%,$(sort $(wildcard fuzz/fuzz_*.c)))
RULES = $(sort $(wildcard share/rules/*.json))
MAN1 = $(CMDS:%=man/%.1)

LIBOBJ = $(LIBSRC:%.c=$(O)/%.o)
BINS = $(CMDS:%=$(O)/bin/%)
UNITBINS = $(UNITS:%=$(O)/unit/%)

all: $(BINS) $(O)/share

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(SP_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/libspaces.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(O)/bin/%: $(O)/cmd/%.o $(O)/libspaces.a
	@mkdir -p $(@D)
	$(CC) $(SP_LDFLAGS) -o $@ $< $(O)/libspaces.a $(PKG_LIBS)

$(O)/unit/%: $(O)/tests/unit/%.o $(O)/libspaces.a
	@mkdir -p $(@D)
	$(CC) $(SP_LDFLAGS) -o $@ $< $(O)/libspaces.a $(PKG_LIBS)

$(O)/tests/unit/%.o: SP_CFLAGS += -Itests/unit

# The commands find the rule files beside them: $(O)/bin/../share/rules.
$(O)/share:
	@mkdir -p $(O)
	ln -sfn "$(CURDIR)/share" $@

-include $(LIBOBJ:.o=.d) $(CMDS:%=$(O)/cmd/%.d) $(UNITS:%=$(O)/tests/unit/%.d)

.PRECIOUS: $(O)/%.o $(O)/cmd/%.o $(O)/tests/unit/%.o

deps:
	@sh .ci/deps check

# The whole suite under the sanitizers, warnings as errors under gcc and
# clang, then every unit and CLI test.
check:
	@sh .ci/deps check
	$(MAKE) O=build/clang CC=clang WERROR=1 all
	$(MAKE) O=build/check SAN=1 WERROR=1 CFLAGS="-O1 -g" test

test: all $(UNITBINS)
	sh tests/run.sh $(O)

demo:
	@sh .ci/deps demo
	$(MAKE) all
	sh tests/demo.sh $(O)

bench:
	@sh .ci/deps bench
	$(MAKE) all
	sh bench/run.sh $(O)

# make fuzz FUZZ_SECONDS=N runs every harness for N seconds.
FUZZ_SECONDS = 60
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE $(LIBINC) -g -O1 -DSP_RULESDIR='"$(RULESDIR)"' \
	-fsanitize=fuzzer,address,undefined
fuzz:
	@sh .ci/deps fuzz
	@mkdir -p build/fuzz
	@for f in $(FUZZERS); do \
		clang $(FUZZ_CFLAGS) $$(pkg-config --cflags $(PKGS)) \
		    -o build/fuzz/$$f fuzz/$$f.c $(LIBSRC) \
		    $$(pkg-config --libs $(PKGS)) -lfaad -lm -pthread || exit 1; \
	done
	@for f in $(FUZZERS); do \
		c=fuzz/corpus/$${f#fuzz_}; w=build/fuzz/corpus-$${f#fuzz_}; \
		mkdir -p $$w; [ -d $$c ] && cp -n $$c/* $$w/ 2>/dev/null; \
		echo "fuzz: $$f for $(FUZZ_SECONDS)s"; \
		LSAN_OPTIONS=suppressions=$(CURDIR)/fuzz/lsan.supp \
		build/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) \
		    -print_final_stats=1 $$w 2>build/fuzz/$$f.log || \
		    { tail -40 build/fuzz/$$f.log; exit 1; }; \
		grep -E 'stat::number_of_executed_units|cov:' \
		    build/fuzz/$$f.log | tail -2; \
	done

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(RULESDIR) \
	    $(DESTDIR)$(BASHDIR) $(DESTDIR)$(ZSHDIR) $(DESTDIR)$(FISHDIR)
	for c in $(CMDS); do \
		install -m 755 $(O)/bin/$$c $(DESTDIR)$(BINDIR)/$$c && \
		install -m 644 man/$$c.1 $(DESTDIR)$(MANDIR)/man1/$$c.1 && \
		install -m 644 completions/spaces.bash \
		    $(DESTDIR)$(BASHDIR)/$$c && \
		install -m 644 completions/spaces.fish \
		    $(DESTDIR)$(FISHDIR)/$$c.fish || exit 1; \
	done
	install -m 644 completions/_spaces $(DESTDIR)$(ZSHDIR)/_spaces
	install -m 644 man/spaces.7 $(DESTDIR)$(MANDIR)/man7/spaces.7
	for r in $(RULES); do \
		install -m 644 $$r $(DESTDIR)$(RULESDIR)/ || exit 1; \
	done

uninstall:
	for c in $(CMDS); do \
		rm -f $(DESTDIR)$(BINDIR)/$$c $(DESTDIR)$(MANDIR)/man1/$$c.1 \
		    $(DESTDIR)$(BASHDIR)/$$c $(DESTDIR)$(FISHDIR)/$$c.fish; \
	done
	rm -f $(DESTDIR)$(ZSHDIR)/_spaces
	rm -f $(DESTDIR)$(MANDIR)/man7/spaces.7
	for r in $(RULES); do rm -f $(DESTDIR)$(RULESDIR)/$${r##*/}; done
	-rmdir $(DESTDIR)$(RULESDIR) $(DESTDIR)$(DATADIR)/spaces 2>/dev/null

clean:
	rm -rf build

.PHONY: all check test demo bench fuzz deps install uninstall clean
