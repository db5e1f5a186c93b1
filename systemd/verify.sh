#!/usr/bin/env bash
# Checks the files in systemd/ with systemd's own tools (Debian package `systemd`, 252 on bookworm):
#   1. the unit: `systemd-analyze verify` must print nothing about it, and its sandbox must stay at or below
#      an exposure of $KNEELOAD_MAX_EXPOSURE (default 1.5) in `systemd-analyze security --offline`;
#   2. sysusers.d/kneeload.conf: `systemd-sysusers` into a scratch root must create user kneeload and the
#      groups i2c and gpio with kneeload as a member;
#   3. udev/rules.d/60-kneeload.rules: `udevadm test` must parse it without a message, seeing the groups from
#      step 2 (in a private mount namespace, so nothing on this machine changes; skipped where none can be
#      made).
# Usage: systemd/verify.sh [UNIT_FILE]   (default: systemd/kneeloadd.service)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
unit=${1:-$here/kneeloadd.service}
max_exposure=${KNEELOAD_MAX_EXPOSURE:-1.5}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=0
fail() { echo "verify.sh: FAIL: $*"; failed=1; }

# 1. The unit. verify checks that ExecStart= names an executable, and kneeloadd is not installed here: point
#    it at /bin/true in a copy. The copy keeps the unit's name, so every message about it contains
#    "kneeloadd.service"; other units verify pulls in (multi-user.target, …) may warn about themselves.
name=$(basename "$unit")
sed 's|^ExecStart=/usr/local/bin/kneeloadd\b|ExecStart=/bin/true|' "$unit" >"$scratch/$name"
status=0
output=$(cd "$scratch" && systemd-analyze verify --man=no "./$name" 2>&1) || status=$?
[ -n "$output" ] && printf '%s\n' "$output"
if [ "$status" -ne 0 ]; then
    fail "systemd-analyze verify exited $status"
elif grep -qF "$name" <<<"$output"; then
    fail "systemd-analyze verify has messages about $name"
else
    echo "verify.sh: $name: systemd-analyze verify is clean"
fi
status=0
security=$(cd "$scratch" && systemd-analyze security --offline=yes --threshold=0 "./$name" 2>&1) || status=$?
exposure=$(sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p' <<<"$security")
if [ -z "$exposure" ]; then
    printf '%s\n' "$security"
    fail "systemd-analyze security gave no exposure level"
elif awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { exit !(e > m) }'; then
    grep '✗' <<<"$security" || true
    fail "sandbox exposure $exposure is above $max_exposure"
else
    echo "verify.sh: $name: sandbox exposure $exposure (limit $max_exposure)"
fi

# 2. sysusers.d, into a scratch root.
root=$scratch/root
mkdir -p "$root/etc" "$root/usr/lib/sysusers.d"
cp "$here/sysusers.d/kneeload.conf" "$root/usr/lib/sysusers.d/"
if ! systemd-sysusers --root="$root" >/dev/null 2>&1; then
    fail "systemd-sysusers rejected sysusers.d/kneeload.conf"
elif ! grep -q '^kneeload:x:[0-9]*:[0-9]*:.*:/usr/sbin/nologin$' "$root/etc/passwd" \
    || ! grep -q '^i2c:x:[0-9]*:kneeload$' "$root/etc/group" \
    || ! grep -q '^gpio:x:[0-9]*:kneeload$' "$root/etc/group"; then
    cat "$root/etc/passwd" "$root/etc/group"
    fail "sysusers.d/kneeload.conf did not create user kneeload in groups i2c and gpio"
else
    echo "verify.sh: sysusers.d/kneeload.conf: user kneeload, groups i2c and gpio"
fi

# 3. udev rules, parsed by udevadm with the groups from step 2 mounted over /etc/group and /etc/passwd.
#    /run is a fresh tmpfs inside the namespace, so the database udevadm test writes there vanishes with it.
rules=$here/udev/rules.d/60-kneeload.rules
udev_check() {
    mount -n -t tmpfs tmpfs /run
    mkdir -p /run/udev/rules.d
    cp "$rules" /run/udev/rules.d/
    mount -n --bind "$root/etc/group" /etc/group
    mount -n --bind "$root/etc/passwd" /etc/passwd
    udevadm test /sys/class/mem/null 2>&1 | grep -F "$(basename "$rules")"
}
if [ -f "$root/etc/group" ] && unshare -m true 2>/dev/null; then
    export -f udev_check
    export rules root
    messages=$(unshare -m bash -c udev_check || true)
    if grep -vq '^Reading rules file:' <<<"$messages"; then
        printf '%s\n' "$messages"
        fail "udevadm has messages about $(basename "$rules")"
    elif [ -z "$messages" ]; then
        fail "udevadm test did not read $(basename "$rules")"
    else
        echo "verify.sh: $(basename "$rules"): parsed by udevadm without messages"
    fi
else
    echo "verify.sh: SKIP udev rules check: no mount namespace here (needs root)"
fi

[ "$failed" -eq 0 ] && echo "verify.sh: all checks passed"
exit "$failed"
