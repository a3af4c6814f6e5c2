# 30secs: one non-recursive GNU Makefile.
#   make                 build build/30secs
#   make check           unit tests + end-to-end tests (needs test deps, see README)
#   make O=build-asan SANITIZE=1 check   the same under ASan+UBSan
#   make STATIC=0        link dynamically (default: one static binary, no runtime deps)
#   make WERROR=1        warnings are errors (CI)
#   make fuzz            libFuzzer over every parser, 60 s (tests/fuzz/README.md)
#   V=1                  show full commands

O ?= build
CC ?= cc
PKG_CONFIG ?= pkg-config
PYTHON ?= /usr/bin/python3
VERSION := $(shell cat VERSION)

WARN := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wwrite-strings -Wundef -Wpointer-arith -Wcast-align -Wvla -Wimplicit-fallthrough \
        -Wno-missing-field-initializers
ifeq ($(WERROR),1)
WARN += -Werror
endif

CFLAGS ?= -O2 -g
# The release artifact is one static binary: no runtime dependency, and
# ~0.5 ms less start-up CPU than dynamic linking (bench/RESULTS.md).
# Sanitizer builds cannot be static.
STATIC ?= 1
ifeq ($(SANITIZE),1)
STATIC := 0
CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif
# Fuzzing build (make fuzz): clang, libFuzzer coverage, ASan + UBSan.
ifeq ($(FUZZ),1)
CC := clang
STATIC := 0
CFLAGS += -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
          -fno-sanitize-recover=undefined
endif

JANSSON_CFLAGS := $(shell $(PKG_CONFIG) --cflags jansson 2>/dev/null)
JANSSON_LIBS := $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null || echo -ljansson)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
# yajl streams the snapshot document (src/render/jw.c). Debian ships its
# static archive as libyajl_s.a; the shared library is used otherwise
# (unit tests, sanitizer and fuzz builds).
YAJL_CFLAGS := $(shell $(PKG_CONFIG) --cflags yajl 2>/dev/null)
YAJL_SHARED_LIBS := $(shell $(PKG_CONFIG) --libs yajl 2>/dev/null || echo -lyajl)

ALL_CFLAGS := -std=gnu17 -D_GNU_SOURCE -DTHIRTYSECS_VERSION='"$(VERSION)"' -Isrc \
              $(JANSSON_CFLAGS) $(YAJL_CFLAGS) $(WARN) $(CFLAGS) -MMD -MP
LIBS := $(JANSSON_LIBS) $(YAJL_SHARED_LIBS) -lm
BIN_LIBS := $(JANSSON_LIBS) $(if $(filter 1,$(STATIC)),-l:libyajl_s.a,$(YAJL_SHARED_LIBS)) -lm

LIB_SRCS := $(sort $(filter-out src/main.c,$(shell find src -name '*.c')))
LIB_OBJS := $(LIB_SRCS:%.c=$(O)/obj/%.o)
# Generated sources (not under src/, so not found by the glob above): the
# Python bootstrap of `leak --deep-python`, embedded as a byte array.
GEN_OBJS := $(O)/obj/gen/deep_bootstrap.o
LIB_OBJS += $(GEN_OBJS)
MAIN_OBJ := $(O)/obj/src/main.o
TEST_SRCS := $(sort $(wildcard tests/unit/test-*.c))
TEST_BINS := $(TEST_SRCS:tests/unit/%.c=$(O)/tests/%)
TEST_HELPER_SRCS := $(filter-out $(TEST_SRCS),$(wildcard tests/unit/*.c))
TEST_HELPER_OBJS := $(TEST_HELPER_SRCS:%.c=$(O)/obj/%.o)

ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all check unit e2e clean lint bench fuzz
all: $(O)/30secs

$(O)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -DFIXTURES_DIR='"$(CURDIR)/tests/fixtures"' -c $< -o $@

$(O)/gen/deep_bootstrap.c: src/deep/tracemalloc_bootstrap.py tools/embed.sh
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)tools/embed.sh deep_bootstrap deep/bootstrap.h < $< > $@.tmp && mv $@.tmp $@

$(O)/obj/gen/%.o: $(O)/gen/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(O)/lib30secs.a: $(LIB_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(O)/30secs: $(MAIN_OBJ) $(O)/lib30secs.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) $(if $(filter 1,$(STATIC)),-static) -o $@ $^ $(BIN_LIBS)

$(O)/tests/%: $(O)/obj/tests/unit/%.o $(TEST_HELPER_OBJS) $(O)/lib30secs.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(CMOCKA_LIBS)

unit: $(TEST_BINS)
	@tools/run-unit-tests.sh $(TEST_BINS)

# Small programs with known behaviour for the end-to-end tests.
$(O)/tests/progs/%: tests/progs/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) -std=gnu17 -O1 -Wall -Wextra -pthread -o $@ $<

TEST_PROGS := $(patsubst tests/progs/%.c,$(O)/tests/progs/%,$(wildcard tests/progs/*.c))

e2e: $(O)/30secs $(TEST_PROGS)
	THIRTYSECS_BIN=$(CURDIR)/$(O)/30secs THIRTYSECS_PROGS=$(CURDIR)/$(O)/tests/progs $(PYTHON) -m pytest -q -p no:cacheprovider tests/e2e

check: unit e2e

# libFuzzer over every pure parser, FUZZ_TIME seconds split across them,
# seeded from tests/fixtures; crashes land in tests/fuzz/regressions/.
FUZZ_TIME ?= 60
$(O)/fuzz-parsers: $(O)/obj/tests/fuzz/fuzz-parsers.o $(O)/lib30secs.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LIBS)

fuzz:
	@tools/deps.sh clang libclang-rt-14-dev
	@$(MAKE) --no-print-directory O=build-fuzz FUZZ=1 build-fuzz/fuzz-parsers
	tests/fuzz/run.sh build-fuzz/fuzz-parsers $(FUZZ_TIME)

bench: $(O)/30secs
	bench/run.sh

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability -Isrc src

clean:
	rm -rf $(O)

-include $(shell find $(O)/obj -name '*.d' 2>/dev/null)
