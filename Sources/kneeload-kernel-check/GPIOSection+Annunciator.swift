import AlertOutputs

/// `AlertAnnunciator` driving the buzzer (active-high) and the LED (active-low) on the simulator: what its
/// schedule says for each tick must be the levels in sysfs, and acknowledge and stop must leave both idle
/// and free.
extension GPIOSection {
    func annunciatorChecks(_ lines: Lines) {
        recorder.check("annunciator.plays-on-the-lines-then-stops-idle") { () throws(CheckFailure) -> String in
            try trace.start()
            let buzzer = try openOutput(SimChip.buzzer, .activeHigh)
            let led = try openOutput(SimChip.led, .activeLow)
            let annunciator = AlertAnnunciator(patternOutputs: [buzzer], indicatorOutputs: [led])
            defer { try? annunciator.stop() }
            annunciator.raise(AlertSignal(.stairDescents, .alert), at: .zero)
            var time = Duration.zero
            var buzzerLevels: [Int] = []
            var ledLevels: [Int] = []
            // The pattern's first steps, tick by tick at the deadlines it asks for (virtual time).
            for _ in 0..<6 {
                try succeed("tick(at: \(time))") { () throws(GPIOError) in try annunciator.tick(at: time) }
                let want = annunciator.schedule.outputs(at: time)
                buzzerLevels.append(try sim.level(lines.buzzer.offset))
                ledLevels.append(try sim.level(lines.led.offset))
                try expectEqual(buzzerLevels.last, want.pattern ? 1 : 0, "buzzer level at \(time)")
                try expectEqual(ledLevels.last, want.indicator ? 0 : 1, "LED level at \(time)")
                guard let next = annunciator.nextDeadline, next > time else { break }
                time = next
            }
            try expect(
                buzzerLevels.contains(1) && buzzerLevels.contains(0), "the buzzer never switched: \(buzzerLevels)")
            try expect(ledLevels.contains(0), "the LED never came on: \(ledLevels)")

            let acknowledged = time + .milliseconds(1)
            annunciator.acknowledge(at: acknowledged)
            try succeed("tick after acknowledge") { () throws(GPIOError) in try annunciator.tick(at: acknowledged) }
            try expectEqual(try sim.level(lines.buzzer.offset), 0, "buzzer after acknowledge")
            try expectEqual(try sim.level(lines.led.offset), 1, "LED after acknowledge")
            try succeed("stop()") { () throws(GPIOError) in try annunciator.stop() }
            for line in [lines.buzzer, lines.led] {
                let last = try trace.levelsSet(gpio: lines.base + Int(line.offset)).last
                try expectEqual(last, line == lines.buzzer ? 0 : 1, "last level set on offset \(line.offset)")
            }
            try expectFree(SimChip.buzzer)
            try expectFree(SimChip.led)
            return "buzzer \(buzzerLevels), LED \(ledLevels) over the ticks; idle after acknowledge; freed by stop()"
        }
    }
}
