#if canImport(Glibc)
    import Glibc
#endif

// kneeload-kernel-check SECTION [--bus /dev/i2c-N]
//
// Runs inside the QEMU guest of Tests/kernel/run.sh, against a real kernel's i2c-dev and i2c-stub, and
// prints PASS/FAIL lines that the guest's /init counts, then `SECTION <name>: N passed, M failed` so /init
// can tell a finished run from a crashed one. Exit status 0 only when every check passed.
//
// Sections (each needs the guest state /init sets up for it):
//   i2c                 the bus and the four chip drivers against the preloaded stub chips (see StubChips)
//   i2c-without-block   /init has masked I2C-block out of i2c-stub's functionality: opening must fail typed
// The GPIO section joins these when the GPIO layer lands.

let usage = "usage: kneeload-kernel-check i2c|i2c-without-block [--bus /dev/i2c-N]"
var arguments = Array(CommandLine.arguments.dropFirst())
var busPath = "/dev/i2c-0"
if let flag = arguments.firstIndex(of: "--bus") {
    guard flag + 1 < arguments.count else {
        Console.error("--bus needs a path\n\(usage)")
        exit(2)
    }
    busPath = arguments[flag + 1]
    arguments.removeSubrange(flag...(flag + 1))
}
guard arguments.count == 1 else {
    Console.error("\(usage)")
    exit(2)
}

let recorder = CheckRecorder()
let section = arguments[0]
switch section {
case "i2c":
    I2CSection(busPath: busPath, recorder: recorder).run()
case "i2c-without-block":
    I2CWithoutBlockSection(busPath: busPath, recorder: recorder).run()
default:
    Console.error("unknown section '\(section)'\n\(usage)")
    exit(2)
}
Console.line("SECTION \(section): \(recorder.passed) passed, \(recorder.failed) failed")
exit(recorder.failed == 0 ? 0 : 1)
