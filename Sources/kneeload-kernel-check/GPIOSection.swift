#if canImport(Glibc)
    import Glibc
#endif
import AlertOutputs

/// The GPIO checks: `LinuxGPIO` and its lines, `AcknowledgeButton` and `AlertAnnunciator` on a gpio-sim chip
/// of a real kernel, laid out as `SimChip` says. Levels are read back through the simulator's sysfs and the
/// kernel's gpio_value trace, never through libgpiod; the button is pressed by changing the simulator's pull.
///
/// Checks that open lines release them before they end, so each check starts with every line free.
struct GPIOSection {
    let sim: GPIOSimSysfs
    let recorder: CheckRecorder
    let gpio = LinuxGPIO()
    let trace = GPIOValueTrace()

    func run() {
        var found: [String: LinuxGPIO.Location] = [:]
        recorder.check("gpio.find-by-name-past-a-chip-without-names") { () throws(CheckFailure) -> String in
            let expected = [SimChip.buzzer, SimChip.led, SimChip.button]
            // All three first: a line found at an unexpected place fails this check, but the other checks
            // still run on where it was found.
            for line in expected {
                found[line.name] = try succeed("locate(\(line.name))") { () throws(GPIOError) in
                    try gpio.locate(.named(line.name))
                }
            }
            for line in expected {
                let location = found[line.name]!  // every name was found above, or the check threw
                try expectEqual(location.chipPath, sim.chipDevice, "\(line.name)'s chip")
                try expectEqual(location.offset, line.offset, "\(line.name)'s offset")
            }
            return "GPIO17, GPIO27, GPIO22 on \(sim.chipDevice) at offsets 17, 27, 22"
        }
        guard found.count == 3, let base = globalBase() else {
            recorder.fail("gpio-section", "the remaining GPIO checks were skipped: the sim lines were not found")
            return
        }
        let lines = Lines(buzzer: found[SimChip.buzzer.name]!, led: found[SimChip.led.name]!, base: base)

        recorder.check("gpio.unknown-name-is-lineNotFound") { () throws(CheckFailure) -> String in
            let error = try thrownError(from: "locate(\(SimChip.unknownName))") { () throws(GPIOError) in
                try gpio.locate(.named(SimChip.unknownName))
            }
            try expectEqual(error.kind, .lineNotFound, "error kind")
            try expectEqual(error.chipsSearched, 2, "chips searched")
            return "\(error)"
        }
        outputChecks(lines)
        releaseChecks(lines)
        busyChecks(lines)
        buttonChecks()
        annunciatorChecks(lines)
    }

    /// Where the output lines are: chip offsets from the search, and the global GPIO number of offset 0.
    struct Lines {
        var buzzer: LinuxGPIO.Location
        var led: LinuxGPIO.Location
        var base: Int
    }

    private func globalBase() -> Int? {
        var base: Int?
        recorder.check("gpio.trace-of-line-levels") { () throws(CheckFailure) -> String in
            let found = try sim.globalBase(label: SimChip.headerLabel)
            try trace.start()
            base = found
            return "gpio_value events on; \(SimChip.headerLabel) starts at global GPIO \(found)"
        }
        return base
    }

    // MARK: Outputs

    private func outputChecks(_ lines: Lines) {
        // The pull is set against the idle level first, so that the level read at once after the request
        // shows the line driven to idle from the first instant rather than left to the pull.
        recorder.check("gpio.output-set-clear-reads-back") { () throws(CheckFailure) -> String in
            try sim.setPull(lines.buzzer.offset, .up)
            try trace.start()
            let buzzer = try openOutput(SimChip.buzzer, .activeHigh)
            defer { try? buzzer.release() }
            var seen = [try sim.level(lines.buzzer.offset)]
            for on in [true, false, true, false] {
                try succeed("set(\(on))") { () throws(GPIOError) in try buzzer.set(on) }
                seen.append(try sim.level(lines.buzzer.offset))
            }
            try expectEqual(seen, [0, 1, 0, 1, 0], "sysfs value at request and after set(true, false, true, false)")
            try expectEqual(
                try trace.levelsSet(gpio: lines.base + Int(lines.buzzer.offset)), [0, 1, 0, 1, 0], "gpio_value trace")
            return "active-high: sysfs value \(seen) (pull-up, so the 0 at request is driven)"
        }

        recorder.check("gpio.active-low-output") { () throws(CheckFailure) -> String in
            try sim.setPull(lines.led.offset, .down)
            let led = try openOutput(SimChip.led, .activeLow)
            defer { try? led.release() }
            var seen = [try sim.level(lines.led.offset)]
            for on in [true, false] {
                try succeed("set(\(on))") { () throws(GPIOError) in try led.set(on) }
                seen.append(try sim.level(lines.led.offset))
            }
            try expectEqual(seen, [1, 0, 1], "sysfs value at request, after set(true) and set(false)")
            return "on = low: sysfs value \(seen) (pull-down, so the 1 at request is driven)"
        }
    }

    // MARK: Release

    private func releaseChecks(_ lines: Lines) {
        recorder.check("gpio.release-drives-idle-and-frees-the-line") { () throws(CheckFailure) -> String in
            try trace.start()
            let led = try openOutput(SimChip.led, .activeLow)
            try succeed("set(true)") { () throws(GPIOError) in try led.set(true) }
            try expectEqual(try sim.level(lines.led.offset), 0, "level while on")
            try succeed("release()") { () throws(GPIOError) in try led.release() }
            let levels = try trace.levelsSet(gpio: lines.base + Int(lines.led.offset))
            try expectEqual(levels, [1, 0, 1], "gpio_value trace (request idle, on, idle before release)")
            try expectFree(SimChip.led)
            let error = try thrownError(from: "set(true) after release()") { () throws(GPIOError) in
                try led.set(true)
            }
            try expectEqual(error.kind, .released, "error kind of a set after release")
            return "trace \(levels); then free, and a later set throws: \(error)"
        }

        // Dropping the last reference without release() must do the same (deinit): the daemon's lines go
        // that way when it stops on an error path.
        recorder.check("gpio.dropped-line-is-driven-idle-and-freed") { () throws(CheckFailure) -> String in
            try trace.start()
            do {
                let buzzer = try openOutput(SimChip.buzzer, .activeHigh)
                try succeed("set(true)") { () throws(GPIOError) in try buzzer.set(true) }
                try expectEqual(try sim.level(lines.buzzer.offset), 1, "level while on")
            }
            let levels = try trace.levelsSet(gpio: lines.base + Int(lines.buzzer.offset))
            try expectEqual(levels, [0, 1, 0], "gpio_value trace (request idle, on, idle in deinit)")
            try expectFree(SimChip.buzzer)
            return "trace \(levels); then free"
        }
    }

    // MARK: A line in use

    private func busyChecks(_ lines: Lines) {
        recorder.check("gpio.line-in-use-is-typed-busy-error") { () throws(CheckFailure) -> String in
            let holder = LinuxGPIO(consumer: "kneeload-holder")
            let held = try succeed("holder's openOutput(\(SimChip.buzzer.name))") { () throws(GPIOError) in
                try holder.openOutput(.named(SimChip.buzzer.name))
            }
            defer { try? held.release() }
            let asOutput = try thrownError(from: "openOutput of a held line") { () throws(GPIOError) in
                try gpio.openOutput(.named(SimChip.buzzer.name))
            }
            try expectEqual(asOutput.kind, .busy, "error kind")
            try expectEqual(asOutput.operation, .requestOutput, "operation")
            try expectEqual(asOutput.holder, "kneeload-holder", "holder named in the error")
            try expectEqual(asOutput.chip, sim.chipDevice, "chip in the error")
            try expectEqual(asOutput.offset, lines.buzzer.offset, "offset in the error")
            let asInput = try thrownError(from: "openInput of a held line") { () throws(GPIOError) in
                try gpio.openInput(.named(SimChip.buzzer.name), bias: .pullUp)
            }
            try expectEqual(asInput.kind, .busy, "error kind as input")
            try expectEqual(try sim.level(lines.buzzer.offset), 0, "the holder's level, untouched")
            return "\(asOutput)"
        }
    }

    // MARK: Helpers

    func openOutput(_ line: SimChip.Line, _ polarity: LinePolarity) throws(CheckFailure) -> LinuxGPIOOutputLine {
        try succeed("openOutput(\(line.name), \(polarity))") { () throws(GPIOError) in
            try gpio.openOutput(.named(line.name), polarity: polarity)
        }
    }

    /// The line can be requested again: it was given back to the kernel.
    func expectFree(_ line: SimChip.Line) throws(CheckFailure) {
        let again = try succeed("requesting \(line.name) again") { () throws(GPIOError) in
            try gpio.openInput(.named(line.name), bias: .asIs)
        }
        again.release()
    }
}
