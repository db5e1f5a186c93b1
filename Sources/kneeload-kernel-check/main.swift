#if canImport(Glibc)
    import Glibc
#endif

// kneeload-kernel-check SECTION [--bus /dev/i2c-N] [--sim /sys/devices/platform/gpio-sim.N/gpiochipM]
//
// Runs inside the QEMU guest of Tests/kernel/run.sh, against a real kernel's i2c-dev and i2c-stub and a
// gpio-sim chip, and prints PASS/FAIL lines that the guest's /init counts, then
// `SECTION <name>: N passed, M failed` so /init can tell a finished run from a crashed one. Exit status 0
// only when every check passed.
//
// Sections (each needs the guest state /init sets up for it):
//   i2c                 the bus and the four chip drivers against the preloaded stub chips (see StubChips)
//   i2c-without-block   /init has masked I2C-block out of i2c-stub's functionality: opening must fail typed
//   gpio                LinuxGPIO, AcknowledgeButton and AlertAnnunciator on the gpio-sim bank at --sim
//                       (see SimChip)

let usage =
    "usage: kneeload-kernel-check i2c|i2c-without-block|gpio [--bus /dev/i2c-N] [--sim SYSFS-DIR-OF-GPIO-SIM-BANK]"
var arguments = Array(CommandLine.arguments.dropFirst())
var options = ["--bus": "/dev/i2c-0", "--sim": "/sys/devices/platform/gpio-sim.0/gpiochip1"]
for flag in options.keys {
    guard let index = arguments.firstIndex(of: flag) else { continue }
    guard index + 1 < arguments.count else {
        Console.error("\(flag) needs a path\n\(usage)")
        exit(2)
    }
    options[flag] = arguments[index + 1]
    arguments.removeSubrange(index...(index + 1))
}
guard arguments.count == 1 else {
    Console.error("\(usage)")
    exit(2)
}
let busPath = options["--bus"]!

let recorder = CheckRecorder()
let section = arguments[0]
switch section {
case "i2c":
    I2CSection(busPath: busPath, recorder: recorder).run()
case "i2c-without-block":
    I2CWithoutBlockSection(busPath: busPath, recorder: recorder).run()
case "gpio":
    GPIOSection(sim: GPIOSimSysfs(directory: options["--sim"]!), recorder: recorder).run()
default:
    Console.error("unknown section '\(section)'\n\(usage)")
    exit(2)
}
Console.line("SECTION \(section): \(recorder.passed) passed, \(recorder.failed) failed")
exit(recorder.failed == 0 ? 0 : 1)
