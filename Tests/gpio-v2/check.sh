#!/usr/bin/env bash
# Proves that Sources/CGpiod/cgpiod.c builds and behaves on the libgpiod 2.x API, on a machine (Debian
# bookworm) that ships only libgpiod 1.6.
#
# The libgpiod Python bindings on PyPI (`gpiod` 2.x) bundle libgpiod's C library sources and header in their
# sdist. This script fetches that sdist with pip into a temporary directory (nothing is kept), then:
#   1. compiles the shim against the v2 header with -Wall -Wextra -Werror (gcc, and clang when present:
#      SwiftPM compiles C targets with clang);
#   2. checks the object calls only v2 functions (so `#if defined(GPIOD_BIT)` really chose the v2 branch);
#   3. builds a static libgpiod v2 from the bundled sources, links Tests/gpio-v2/smoke.c against the shim and
#      runs it: the hardware-free paths (no chips, not-a-chip files, missing chips, NULL handles);
#   4. does the same against the system libgpiod 1.6 and requires the two transcripts to be identical.
# Prints PASS, FAIL or SKIP (pip cannot reach the package index) as its last line; exits non-zero on FAIL.
#
# Environment: GPIOD_SDIST=path/to/gpiod-X.tar.gz uses a local sdist instead of pip (offline runs);
# CC (default cc).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHIM_DIR=$ROOT/Sources/CGpiod
SMOKE=$ROOT/Tests/gpio-v2/smoke.c
SDIST_VERSION=2.2.4
# sha256 of gpiod-2.2.4.tar.gz as PyPI served it (2025-11-22); pip refuses any other file.
SDIST_SHA256=4923c27262c70815054fe7a1962b98dd1d6822a541c103d0acd7f42fc9aabae9
CC=${CC:-cc}
# -O2: some warnings (maybe-uninitialized) only appear when the optimizer runs.
CFLAGS_STRICT=(-std=gnu11 -O2 -Wall -Wextra -Werror)

START=$(date +%s)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gpio-v2-check.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

elapsed() { echo "$(($(date +%s) - START)) s"; }
fail() { echo "gpio-v2 check: FAIL: $* ($(elapsed))"; exit 1; }
skip() { echo "gpio-v2 check: SKIP: $* ($(elapsed))"; exit 0; }
step() { echo "gpio-v2 check: $*"; }

command -v "$CC" >/dev/null || fail "no C compiler ($CC)"
command -v nm >/dev/null && command -v ar >/dev/null || fail "nm and ar (binutils) are needed"

# ---- 1. the sdist ----
mkdir -p "$WORK/sdist"
if [ -n "${GPIOD_SDIST:-}" ]; then
    [ -f "$GPIOD_SDIST" ] || fail "GPIOD_SDIST=$GPIOD_SDIST does not exist"
    cp "$GPIOD_SDIST" "$WORK/sdist/"
    step "using the local sdist $GPIOD_SDIST"
else
    PYTHON=$(command -v python3 || true)
    [ -n "$PYTHON" ] || skip "python3 is not installed, so pip cannot fetch the gpiod sdist"
    "$PYTHON" -m pip --version >/dev/null 2>&1 || skip "pip is not installed, so the gpiod sdist cannot be fetched"
    echo "gpiod==$SDIST_VERSION --hash=sha256:$SDIST_SHA256" >"$WORK/requirements.txt"
    step "fetching gpiod==$SDIST_VERSION (sdist) with pip"
    # pip prepares the sdist's metadata in an isolated build environment (setuptools from the index): a few
    # seconds. Short network timeouts keep an offline run well under a minute.
    timeout 45 "$PYTHON" -m pip download --no-deps --no-binary :all: --require-hashes \
        -r "$WORK/requirements.txt" -d "$WORK/sdist" --timeout 10 --retries 1 \
        --disable-pip-version-check --no-input >"$WORK/pip.log" 2>&1
    status=$?
    if [ $status -ne 0 ]; then
        if [ $status -eq 124 ] || grep -qiE 'Retrying|NewConnectionError|ConnectTimeout|ReadTimeout|Name or service not known|Temporary failure in name resolution|Network is unreachable|ProxyError|Could not fetch URL|from versions: none' "$WORK/pip.log"; then
            tail -n 5 "$WORK/pip.log" | sed 's/^/    pip: /'
            skip "pip could not reach the package index to fetch gpiod==$SDIST_VERSION; the v2 API was not checked"
        fi
        tail -n 20 "$WORK/pip.log" | sed 's/^/    pip: /'
        fail "pip download of gpiod==$SDIST_VERSION failed (see above)"
    fi
fi
SDIST_FILE=$(ls "$WORK"/sdist/gpiod-*.tar.gz 2>/dev/null | head -n 1)
[ -n "$SDIST_FILE" ] || fail "no gpiod-*.tar.gz in the download"
tar -xzf "$SDIST_FILE" -C "$WORK" || fail "cannot unpack $SDIST_FILE"
SRC=$(ls -d "$WORK"/gpiod-*/ | head -n 1)
SRC=${SRC%/}
V2_HEADER=$SRC/include/gpiod.h
[ -f "$V2_HEADER" ] || fail "the sdist has no include/gpiod.h"
LIB_VERSION=$(cat "$SRC/libgpiod-version.txt" 2>/dev/null || echo 2)
grep -q 'GPIOD_BIT' "$V2_HEADER" && fail "the sdist's gpiod.h defines GPIOD_BIT: it is not a v2 header"
step "libgpiod $LIB_VERSION header and sources from $(basename "$SDIST_FILE")"

# ---- 2. compile the shim against the v2 header, strictly ----
# -I puts the v2 header ahead of /usr/include/gpiod.h (1.6), which stays on the system path.
"$CC" "${CFLAGS_STRICT[@]}" -I"$SRC/include" -I"$SHIM_DIR/include" -c "$SHIM_DIR/cgpiod.c" -o "$WORK/cgpiod-v2.o" \
    || fail "cgpiod.c does not compile against the libgpiod $LIB_VERSION header with ${CFLAGS_STRICT[*]} ($CC)"
if command -v clang >/dev/null && [ "$(command -v clang)" != "$(command -v "$CC")" ]; then
    clang "${CFLAGS_STRICT[@]}" -I"$SRC/include" -I"$SHIM_DIR/include" -c "$SHIM_DIR/cgpiod.c" -o "$WORK/cgpiod-v2-clang.o" \
        || fail "cgpiod.c does not compile against the libgpiod $LIB_VERSION header with ${CFLAGS_STRICT[*]} (clang)"
    step "compiled against the v2 header with ${CFLAGS_STRICT[*]} ($CC and clang)"
else
    step "compiled against the v2 header with ${CFLAGS_STRICT[*]} ($CC)"
fi

# ---- 3. the object must use the v2 API and nothing of v1 ----
UNDEFINED=$(nm -u "$WORK/cgpiod-v2.o" | awk '{print $NF}' | grep '^gpiod_' | sort)
for symbol in gpiod_chip_request_lines gpiod_line_request_set_value gpiod_line_request_wait_edge_events \
    gpiod_line_request_read_edge_events gpiod_chip_get_line_offset_from_name; do
    echo "$UNDEFINED" | grep -qx "$symbol" || fail "the v2 build does not call $symbol: the v1 branch was compiled"
done
for symbol in gpiod_line_request_output gpiod_chip_find_line gpiod_line_event_wait gpiod_line_set_value; do
    echo "$UNDEFINED" | grep -qx "$symbol" && fail "the v2 build calls the v1 function $symbol"
done
step "the v2 object calls $(echo "$UNDEFINED" | wc -l) libgpiod v2 functions and no v1 function"

# ---- 4. a static libgpiod v2 from the bundled sources; link and run the smoke test ----
mkdir -p "$WORK/libv2"
for source in "$SRC"/lib/*.c; do
    "$CC" -std=gnu11 -O1 -w -D_GNU_SOURCE -DGPIOD_VERSION_STR="\"$LIB_VERSION\"" -I"$SRC/include" -I"$SRC/lib" \
        -c "$source" -o "$WORK/libv2/$(basename "$source" .c).o" || fail "cannot build libgpiod $LIB_VERSION ($source)"
done
ar rcs "$WORK/libgpiod-v2.a" "$WORK"/libv2/*.o || fail "ar failed"
"$CC" "${CFLAGS_STRICT[@]}" -I"$SHIM_DIR/include" "$SMOKE" "$WORK/cgpiod-v2.o" "$WORK/libgpiod-v2.a" -o "$WORK/smoke-v2" \
    || fail "the shim does not link against libgpiod $LIB_VERSION (undefined or mismatched symbols)"
step "built a static libgpiod $LIB_VERSION and linked the shim against it"

SCRATCH=$WORK/scratch
mkdir -p "$SCRATCH/empty" "$SCRATCH/fake"
touch "$SCRATCH/fake/gpiochip0" "$SCRATCH/fake/gpiochipX" "$SCRATCH/fake/gpiochip"
"$WORK/smoke-v2" 2 "$SCRATCH" >"$WORK/smoke-v2.txt" 2>"$WORK/smoke-v2.err"
v2_status=$?
sed 's/^/    v2: /' "$WORK/smoke-v2.err" "$WORK/smoke-v2.txt"
[ $v2_status -eq 0 ] || fail "the shim misbehaves on libgpiod $LIB_VERSION (smoke test above)"

# ---- 5. the same run on the system libgpiod 1.6: identical results ----
if [ -f /usr/include/gpiod.h ] && grep -q 'GPIOD_BIT' /usr/include/gpiod.h; then
    "$CC" "${CFLAGS_STRICT[@]}" -I"$SHIM_DIR/include" "$SMOKE" "$SHIM_DIR/cgpiod.c" -lgpiod -o "$WORK/smoke-v1" \
        || fail "the shim does not build against the system libgpiod 1.6"
    "$WORK/smoke-v1" 1 "$SCRATCH" >"$WORK/smoke-v1.txt" 2>"$WORK/smoke-v1.err"
    v1_status=$?
    sed 's/^/    v1: /' "$WORK/smoke-v1.err"
    [ $v1_status -eq 0 ] || { sed 's/^/    v1: /' "$WORK/smoke-v1.txt"; fail "the shim misbehaves on the system libgpiod 1.6"; }
    if ! diff -u "$WORK/smoke-v1.txt" "$WORK/smoke-v2.txt" | sed 's/^/    /'; then :; fi
    cmp -s "$WORK/smoke-v1.txt" "$WORK/smoke-v2.txt" || fail "libgpiod 1.6 and $LIB_VERSION give different results (diff above)"
    step "the system libgpiod 1.6 build gives the same results"
else
    step "no libgpiod 1.6 header on this system: the v1/v2 comparison was not run"
fi

echo "gpio-v2 check: PASS: cgpiod.c compiles (-Werror), links and runs against libgpiod $LIB_VERSION ($(elapsed))"
