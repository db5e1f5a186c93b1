#!/usr/bin/env bash
# Runs kneeload's own I2C and GPIO code against a real Linux kernel, no hardware: boots Debian's stock kernel
# under QEMU from a small busybox initramfs, loads i2c-dev + i2c-stub and gpio-sim (built here, out of tree,
# from the same kernel version's source), and runs kneeload-kernel-check (LinuxI2CBus and the chip drivers on
# /dev/i2c-N; LinuxGPIO, AcknowledgeButton and AlertAnnunciator on a gpio-sim chip). See
# Tests/kernel/README.md.
#
# usage: Tests/kernel/run.sh
# env:
#   KERNEL_CHECK_BREAK=i2c|gpio deliberately break one check of that section (1 = i2c; shows the harness fails)
#   KERNEL_CHECK_TIMEOUT=SEC    wall-clock limit for the VM (default 300)
#   KERNEL_CHECK_ACCEL=auto|tcg|kvm   default auto: KVM only with kvm_intel/kvm_amd loaded (see README)
#   KERNEL_CHECK_SKIP_INSTALL=1 do not apt-get install missing host packages
#   KERNEL_CHECK_WORK=DIR       cache and scratch directory (default Tests/kernel/work, gitignored)
#
# Its last line is "N passed, M failed"; it exits non-zero on any failure, a missing result line or a
# timeout.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
W=${KERNEL_CHECK_WORK:-$HERE/work}
TIMEOUT=${KERNEL_CHECK_TIMEOUT:-300}
mkdir -p "$W/debs"
T0=$(date +%s.%N)
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
log() { echo "[kernel-check $(elapsed)s] $*" >&2; }
die() { echo "kernel-check: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

# ------------------------------------------------------------------------------------------- host packages
# qemu-system-x86 boots the guest; busybox-static is the guest's userland (and its cpio/depmod); i2c-tools
# preloads and reads back the stub's registers; libi2c-dev and libgpiod-dev have libi2c.a and libgpiod.a for
# the fully static tool; gcc-12 (the compiler Debian built its 6.1 kernels with), make and xz-utils build
# gpio-sim.ko.
export DEBIAN_FRONTEND=noninteractive
HOST_PKGS=(qemu-system-x86 busybox-static i2c-tools libi2c-dev libgpiod-dev gcc-12 make xz-utils)
# apt-cache and apt-get download need package lists; a fresh machine has none.
# (The policy text is captured first: grep -q closing the pipe early would fail it under pipefail.)
policy=$(apt-cache policy linux-image-amd64 2>/dev/null || true)
grep -q 'Candidate: [0-9]' <<<"$policy" || {
  log "apt-get update"
  apt-get update >"$W/apt-update.log" 2>&1 || { cat "$W/apt-update.log" >&2; die "apt-get update failed"; }
}
if [[ -z "${KERNEL_CHECK_SKIP_INSTALL:-}" ]]; then
  need=()
  for p in "${HOST_PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
  if ((${#need[@]})); then
    log "apt-get install ${need[*]}"
    apt-get install -y --no-install-recommends "${need[@]}" >"$W/apt-install.log" 2>&1 \
      || { cat "$W/apt-install.log" >&2; die "apt-get install failed"; }
    grep -E '^(Need to get|After this operation)' "$W/apt-install.log" | sed 's/^/    /' >&2 || true
  fi
fi

# ------------------------------------------------------------------------------------------------- kernel
# linux-image-amd64 names the current ABI package (e.g. linux-image-6.1.0-57-amd64); its .deb is
# downloaded, never installed, and cached; vmlinuz, its config and the I2C and configfs modules are unpacked
# from it.
KPKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
[[ -n "$KPKG" ]] || die "cannot resolve linux-image-amd64 to a kernel package"
KV=${KPKG#linux-image-}                # 6.1.0-57-amd64
KVER=$(apt-cache policy "$KPKG" | awk '/Candidate:/ { print $2; exit }') # 6.1.192-3
KFLAVOUR=${KV##*-}                     # amd64
KABI=${KV%-"$KFLAVOUR"}                # 6.1.0-57
KSERIES=$(cut -d. -f1,2 <<<"$KV")      # 6.1

# fetch_deb PACKAGE: sets DEB to the path of PACKAGE=$KVER's .deb in work/debs, downloaded (never installed)
# if missing. (Not a command substitution: die must end the script, not a subshell.)
fetch_deb() {
  DEB=$(ls "$W/debs/${1}_${KVER}_"*.deb 2>/dev/null | head -1 || true)
  if [[ -z "$DEB" ]]; then
    log "apt-get download $1=$KVER"
    (cd "$W/debs" && apt-get download "$1=$KVER" >"$W/apt-download.log" 2>&1) \
      || { cat "$W/apt-download.log" >&2; die "apt-get download $1=$KVER failed"; }
    DEB=$(ls "$W/debs/${1}_${KVER}_"*.deb | head -1)
    log "downloaded $(basename "$DEB") ($(du -h "$DEB" | cut -f1))"
  fi
}

K=$W/kernel-$KV
if [[ ! -f "$K/boot/vmlinuz-$KV" || ! -d "$K/lib/modules/$KV/kernel/fs/configfs" ]]; then
  rm -f "$W/debs/"linux-image-*.deb # a previous ABI's package is not needed any more
  fetch_deb "$KPKG"
  deb=$DEB
  log "unpacking vmlinuz and the I2C and configfs modules"
  rm -rf "$W"/kernel-* && mkdir -p "$K"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$K" --wildcards \
    "./boot/vmlinuz-$KV" "./boot/config-$KV" "./lib/modules/$KV/modules.*" \
    "./lib/modules/$KV/kernel/drivers/i2c/*" "./lib/modules/$KV/kernel/fs/configfs/*"
  # The package ships no modules.dep (depmod runs at install); busybox's depmod makes one.
  busybox depmod -b "$K" "$KV"
fi
# GPIO: the character device with the v1 uAPI (libgpiod 1.6 speaks v1), configfs for gpio-sim, and no
# IRQ_SIM of the kernel's own (gpio-sim.ko carries one, below); ftrace's gpio_value event shows every level
# written to a line.
for opt in CONFIG_I2C=y CONFIG_I2C_CHARDEV=m CONFIG_I2C_STUB=m CONFIG_DEVTMPFS=y \
  CONFIG_GPIOLIB=y CONFIG_GPIO_CDEV=y CONFIG_GPIO_CDEV_V1=y CONFIG_CONFIGFS_FS=m CONFIG_EVENT_TRACING=y; do
  grep -qx "$opt" "$K/boot/config-$KV" || die "$KPKG's config lacks $opt"
done
! grep -q '^CONFIG_IRQ_SIM=' "$K/boot/config-$KV" || die "$KPKG has its own IRQ_SIM: gpio-sim.ko must not carry one"

# ---------------------------------------------------------------------------------------- gpio-sim.ko
# Debian's kernels set neither CONFIG_GPIO_SIM nor CONFIG_IRQ_SIM, so the module is built here from the same
# version's linux-source (drivers/gpio/gpio-sim.c, its private drivers/gpio/gpiolib.h, and
# kernel/irq/irq_sim.c compiled into the module) against linux-headers-$KV, whose Module.symvers carries
# the kernel's symbol versions. Only gpio-sim-$KV/ is kept; the packages and headers go once it is built.
GS=$W/gpio-sim-$KV
if [[ ! -f "$GS/gpio-sim.ko" ]]; then
  rm -rf "$W"/gpio-sim-* "$W/gpio-sim-build" && mkdir -p "$W/gpio-sim-build/src" "$W/gpio-sim-build/headers"
  B=$W/gpio-sim-build
  fetch_deb "linux-source-$KSERIES"
  deb=$DEB
  log "extracting gpio-sim.c, gpiolib.h and irq_sim.c from $(basename "$deb")"
  # --occurrence stops tar once all three are out (about half the xz stream); that ends the pipe early,
  # which the upstream commands see as SIGPIPE: the files' presence is the test.
  { dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/linux-source-$KSERIES.tar.xz" | xz -dc \
    | tar -x -C "$B/src" --strip-components=1 --occurrence=1 \
      "linux-source-$KSERIES/drivers/gpio/gpio-sim.c" "linux-source-$KSERIES/drivers/gpio/gpiolib.h" \
      "linux-source-$KSERIES/kernel/irq/irq_sim.c"; } 2>"$B/extract.log" || true
  for f in drivers/gpio/gpio-sim.c drivers/gpio/gpiolib.h kernel/irq/irq_sim.c; do
    [[ -s "$B/src/$f" ]] || { cat "$B/extract.log" >&2; die "$f is not in $(basename "$deb")"; }
  done
  for p in "linux-headers-$KV" "linux-headers-$KABI-common" "linux-kbuild-$KSERIES"; do
    fetch_deb "$p"
    dpkg -x "$DEB" "$B/headers" || die "cannot unpack $DEB"
  done
  HDR=$B/headers/usr/src/linux-headers-$KV
  # The flavour's Makefile includes the common one by its installed path; point it at the unpacked copy.
  sed -i "s#/usr/src/linux-headers-$KABI-common#$B/headers/usr/src/linux-headers-$KABI-common#" "$HDR/Makefile"
  M=$B/module
  mkdir -p "$M"
  cp "$B/src/drivers/gpio/gpio-sim.c" "$M/gpio_sim_main.c"
  cp "$B/src/drivers/gpio/gpiolib.h" "$B/src/kernel/irq/irq_sim.c" "$M/"
  # irq_sim.c calls irq_to_desc(), which the kernel does not export to modules. generic_handle_irq() is
  # exported and does the same: it looks the descriptor up and runs its flow handler, which irq_sim's map()
  # set to handle_simple_irq.
  sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' "$M/irq_sim.c"
  grep -q 'generic_handle_irq(irqnum);' "$M/irq_sim.c" || die "the irq_sim.c patch no longer applies"
  printf 'obj-m := gpio-sim.o\ngpio-sim-y := gpio_sim_main.o irq_sim.o\n' >"$M/Kbuild"
  log "building gpio-sim.ko against linux-headers-$KV"
  make -C "$HDR" M="$M" modules >"$B/build.log" 2>&1 || { cat "$B/build.log" >&2; die "building gpio-sim.ko failed"; }
  mkdir -p "$GS"
  strip --strip-debug -o "$GS/gpio-sim.ko" "$M/gpio-sim.ko"
  cp "$B/build.log" "$GS/"
  rm -rf "$B" "$W/debs/"linux-{source,headers,kbuild}-*.deb
fi
# The module loads only into the kernel it was built for: its vermagic must be the kernel package's own
# (read from one of that package's modules), or modprobe in the guest refuses it.
vermagic() { objcopy -O binary --only-section=.modinfo "$1" /dev/stdout | tr '\0' '\n' | sed -n 's/^vermagic=//p'; }
want_magic=$(vermagic "$K/lib/modules/$KV/kernel/drivers/i2c/i2c-stub.ko")
got_magic=$(vermagic "$GS/gpio-sim.ko")
[[ -n "$want_magic" && "$got_magic" == "$want_magic" ]] \
  || die "gpio-sim.ko vermagic '$got_magic' is not the kernel's '$want_magic'"
mkdir -p "$K/lib/modules/$KV/extra" && cp "$GS/gpio-sim.ko" "$K/lib/modules/$KV/extra/"
grep -q '^extra/gpio-sim.ko:' "$K/lib/modules/$KV/modules.dep" || busybox depmod -b "$K" "$KV"

# Modules for the initramfs (with what they depend on, from modules.dep) and the /init sections to run.
MODULES=(kernel/drivers/i2c/i2c-dev.ko kernel/drivers/i2c/i2c-stub.ko extra/gpio-sim.ko)
SECTIONS=i2c,gpio

# ------------------------------------------------------------------------------------------ the Swift tool
# Fully static (-static-executable; libi2c and libgpiod come from libi2c.a and libgpiod.a), so the guest needs
# no Swift runtime or glibc. The 'dlopen in statically linked applications' linker warning from libswiftCore.a is harmless.
log "swift build -c release --product kneeload-kernel-check (static)"
SWIFT_FLAGS=(-c release --product kneeload-kernel-check -Xswiftc -static-executable)
(cd "$ROOT" && swift build "${SWIFT_FLAGS[@]}" >"$W/swift-build.log" 2>&1) \
  || { grep -E 'error' "$W/swift-build.log" >&2 || cat "$W/swift-build.log" >&2; die "swift build failed"; }
BIN=$(cd "$ROOT" && swift build "${SWIFT_FLAGS[@]}" --show-bin-path)/kneeload-kernel-check
install -m 0755 "$BIN" "$W/kneeload-kernel-check"
strip "$W/kneeload-kernel-check"

# ------------------------------------------------------------------------------------------- initramfs
R=$W/rootfs
rm -rf "$R"
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,opt/kneeload}
cp "$(command -v busybox)" "$R/bin/busybox"
for a in $(busybox --list); do [[ -e "$R/bin/$a" ]] || ln -s busybox "$R/bin/$a"; done

copy_with_libs() { # SRC DEST: DEST inside the rootfs, plus the shared libraries SRC needs at their paths
  install -D -m 0755 "$1" "$R$2"
  # ldd fails on a static binary: that is fine, there is nothing to copy.
  { ldd "$1" 2>/dev/null || true; } | awk '/=> \// { print $3 } /^[ \t]*\/lib/ { print $1 }' | while read -r lib; do
    [[ -e "$R$lib" ]] || install -D -m 0755 "$(readlink -f "$lib")" "$R$lib"
  done
}
for b in i2cset i2cget i2cdetect; do copy_with_libs "/usr/sbin/$b" "/usr/sbin/$b"; done
copy_with_libs "$W/kneeload-kernel-check" /opt/kneeload/kneeload-kernel-check

MD=$R/lib/modules/$KV
mkdir -p "$MD"
cp "$K/lib/modules/$KV"/modules.{builtin,builtin.modinfo,order} "$MD/" 2>/dev/null || true
want=("${MODULES[@]}")
declare -A seen=()
while ((${#want[@]})); do # the wanted modules and everything they depend on
  m=${want[0]}
  want=("${want[@]:1}")
  [[ -n "${seen[$m]:-}" ]] && continue
  seen[$m]=1
  install -D -m 0644 "$K/lib/modules/$KV/$m" "$MD/$m"
  for d in $(awk -F': *' -v m="$m" '$1 == m { print $2 }' "$K/lib/modules/$KV/modules.dep"); do want+=("$d"); done
done
busybox depmod -b "$R" "$KV"

install -m 0755 "$HERE/init" "$R/init"
# Uncompressed: booting it measured the same as a gzip -1 copy (6.5-6.9 s either way), minus the host's gzip.
INITRD=$W/initrd.cpio
(cd "$R" && find . | LC_ALL=C sort | busybox cpio -o -H newc 2>/dev/null) >"$INITRD"
log "initramfs $(du -h "$INITRD" | cut -f1) ($KPKG $KVER; modules: ${MODULES[*]##*/})"

# ------------------------------------------------------------------------------------------------- boot
# KVM only with hardware virtualisation: on these build machines /dev/kvm is kvm_pvm (nested PVM), under
# which a stock kernel crawls through its decompressor for minutes, so auto means TCG there.
ACCEL=${KERNEL_CHECK_ACCEL:-auto}
if [[ "$ACCEL" == auto ]]; then
  if [[ -w /dev/kvm ]] && [[ -d /sys/module/kvm_intel || -d /sys/module/kvm_amd ]]; then ACCEL=kvm; else ACCEL=tcg; fi
fi
# no_timer_check: under TCG on a busy host the kernel's IO-APIC timer check can miss its ticks and panic
# ("IO-APIC + timer doesn't work!") before /init runs; the check is for broken PC hardware, not for QEMU's.
APPEND="console=ttyS0 quiet panic=-1 no_timer_check kneeload_sections=$SECTIONS"
case "${KERNEL_CHECK_BREAK:-0}" in
  0 | "") ;;
  1 | i2c) APPEND+=" kneeload_break=i2c" ;;
  gpio) APPEND+=" kneeload_break=gpio" ;;
  *) die "KERNEL_CHECK_BREAK=$KERNEL_CHECK_BREAK: use i2c (or 1) or gpio" ;;
esac
QEMU=(qemu-system-x86_64 -m 512 -smp 1 -nographic -no-reboot -monitor none -net none
  -kernel "$K/boot/vmlinuz-$KV" -initrd "$INITRD" -append "$APPEND")
if [[ "$ACCEL" == kvm ]]; then QEMU+=(-enable-kvm -cpu host); else QEMU+=(-accel tcg); fi
CONSOLE=$W/console.log
boot() {
  log "booting ($ACCEL, timeout ${TIMEOUT}s): ${APPEND}"
  B0=$(date +%s.%N)
  set +e
  # -no-reboot + panic=-1: a guest panic or a dying /init ends QEMU; the outer timeout catches a hang.
  timeout "$TIMEOUT" "${QEMU[@]}" </dev/null 2>&1 | tr -d '\r' | tee "$CONSOLE"
  qrc=${PIPESTATUS[0]}
  set -e
  log "QEMU exited $qrc after $(awk -v a="$B0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
}
boot
# A kernel that panics before the harness starts is the emulator's trouble, not ours: boot once more.
# A panic after the harness started is a result and stands.
if ((qrc != 124)) && ! grep -q '^harness: /init at uptime' "$CONSOLE" && grep -q 'Kernel panic' "$CONSOLE"; then
  log "the kernel panicked before the harness started; booting once more"
  boot
fi

# ---------------------------------------------------------------------------------------------- result
((qrc == 124)) && die "the VM timed out after ${TIMEOUT}s"
line=$(grep -E '^HARNESS: [0-9]+ passed, [0-9]+ failed$' "$CONSOLE" | tail -1 || true)
[[ -n "$line" ]] || die "no HARNESS line on the console (the VM crashed, or /init died; QEMU exit $qrc)"
passed=$(sed -E 's/^HARNESS: ([0-9]+) passed.*/\1/' <<<"$line")
failed=$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")
((qrc == 0)) || { failed=$((failed + 1)); log "QEMU exited $qrc: counted as one more failure"; }
log "done in $(elapsed) s"
grep -E '^FAIL: ' "$CONSOLE" | sed 's/^/  /' >&2 || true
echo "$passed passed, $failed failed"
((failed == 0))
