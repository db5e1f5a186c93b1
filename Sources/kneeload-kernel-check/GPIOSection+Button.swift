#if canImport(Glibc)
    import Glibc
#endif
import AlertOutputs

/// The acknowledge button on GPIO22 (active-low, pull-up, as `ButtonDebouncer.Configuration()` has it). The
/// simulator's `pull` plays the button: pull-down is the contact closing to ground. Edges come from the
/// kernel with its timestamps; the debouncer is then driven at chosen times on the same clock (its
/// `nextDeadline`, a nanosecond before it), so what counts as a press does not depend on how fast the guest
/// runs.
extension GPIOSection {
    func buttonChecks() {
        let configuration = ButtonDebouncer.Configuration()
        let offset = SimChip.button.offset
        var opened: LinuxGPIOInputLine?
        recorder.check("button.input-with-pull-up-idles-high") { () throws(CheckFailure) -> String in
            let line = try succeed("openInput(\(SimChip.button.name), \(configuration.bias))") {
                () throws(GPIOError) in try gpio.openInput(.named(SimChip.button.name), bias: configuration.bias)
            }
            opened = line
            try expectEqual(try sim.pull(offset), GPIOSimSysfs.Pull.up.rawValue, "simulator pull after the request")
            try expectEqual(try sim.level(offset), 1, "sysfs value")
            try expectEqual(try succeed("read()") { () throws(GPIOError) in try line.read() }, true, "read()")
            let queued = try succeed("waitForEdge(.zero)") { () throws(GPIOError) in try line.waitForEdge(timeout: .zero) }
            try expect(!queued, "an edge is queued before anything changed")
            return "the request's pull-up bias reached the simulator: pull-up, level 1"
        }
        guard let line = opened else {
            recorder.fail("button-section", "the button checks were skipped: \(SimChip.button.name) did not open")
            return
        }
        defer { line.release() }

        recorder.check("button.pull-down-is-one-debounced-press") { () throws(CheckFailure) -> String in
            let button = try makeButton(line, configuration)
            let (before, after) = try change(offset, to: .down, on: line)
            let presses = try pressesUntilSettled(button, from: before)
            try expectEqual(presses.count, 1, "presses")
            let press = presses[0]
            try expect(
                before <= press.pressedAt && press.pressedAt <= after,
                "pressedAt \(press.pressedAt) is not the edge's time, between \(before) and \(after)")
            try expectEqual(press.confirmedAt - press.pressedAt, configuration.debounceTime, "confirmation delay")
            try expect(button.debouncer.isPressed, "the debouncer does not hold the button pressed")
            return "press at \(press.pressedAt) (kernel timestamp), confirmed \(configuration.debounceTime) later"
        }

        recorder.check("button.pull-up-is-a-release-not-a-press") { () throws(CheckFailure) -> String in
            let button = try makeButton(line, configuration)
            try expect(button.debouncer.isPressed, "a button held at start is not seen as held")
            let (before, _) = try change(offset, to: .up, on: line)
            let presses = try pressesUntilSettled(button, from: before)
            try expectEqual(presses.count, 0, "presses")
            try expect(!button.debouncer.isPressed, "the debouncer still holds the button pressed")
            return "released, no press"
        }

        // Five changes in a row, the way a contact bounces; a longer debounce time than the default keeps a
        // host that stalls the guest between two writes from splitting them.
        recorder.check("button.bounces-make-one-press") { () throws(CheckFailure) -> String in
            var bouncy = configuration
            bouncy.debounceTime = .milliseconds(200)
            let button = try makeButton(line, bouncy)
            let first = LinuxGPIO.eventClockNow()
            for pull in [GPIOSimSysfs.Pull.down, .up, .down, .up, .down] { try sim.setPull(offset, pull) }
            let last = LinuxGPIO.eventClockNow()
            try expect(
                try succeed("waitForEdge") { () throws(GPIOError) in try line.waitForEdge(timeout: .seconds(2)) },
                "no edge within 2 s")
            pause(.milliseconds(100))  // lets the kernel's event thread queue the rest
            let presses = try pressesUntilSettled(button, from: first)
            try expectEqual(presses.count, 1, "presses")
            try expect(
                first <= presses[0].pressedAt && presses[0].pressedAt <= last,
                "pressedAt \(presses[0].pressedAt) is outside the bounces, \(first) to \(last)")
            try sim.setPull(offset, .up)
            return "one press at \(presses[0].pressedAt)"
        }
    }

    private func makeButton(_ line: LinuxGPIOInputLine, _ configuration: ButtonDebouncer.Configuration)
        throws(CheckFailure) -> AcknowledgeButton
    {
        let button = try succeed("AcknowledgeButton(line:)") { () throws(GPIOError) in
            try AcknowledgeButton(line: line, configuration: configuration, at: LinuxGPIO.eventClockNow())
        }
        return button
    }

    /// Sets the simulator's pull and waits for the kernel to queue the edge; returns the clock around it.
    private func change(_ offset: UInt32, to pull: GPIOSimSysfs.Pull, on line: LinuxGPIOInputLine)
        throws(CheckFailure) -> (before: Duration, after: Duration)
    {
        let before = LinuxGPIO.eventClockNow()
        try sim.setPull(offset, pull)
        let after = LinuxGPIO.eventClockNow()
        let queued = try succeed("waitForEdge") { () throws(GPIOError) in try line.waitForEdge(timeout: .seconds(2)) }
        try expect(queued, "no edge within 2 s of setting \(pull.rawValue)")
        return (before, after)
    }

    /// Takes the queued edges at `from` (too early for any to be confirmed), then polls a nanosecond before
    /// the debouncer's deadline (nothing may count yet) and at it.
    private func pressesUntilSettled(_ button: AcknowledgeButton, from: Duration) throws(CheckFailure)
        -> [ButtonDebouncer.Press]
    {
        var presses = try poll(button, at: from)
        try expectEqual(presses.count, 0, "presses confirmed before any debounce time passed")
        guard let deadline = button.nextDeadline else { throw CheckFailure("the edges left nothing to settle") }
        presses = try poll(button, at: deadline - .nanoseconds(1))
        try expectEqual(presses.count, 0, "presses a nanosecond before the debounce time")
        presses = try poll(button, at: deadline)
        try expect(button.nextDeadline == nil, "still unsettled at the deadline")
        return presses
    }

    private func poll(_ button: AcknowledgeButton, at time: Duration) throws(CheckFailure) -> [ButtonDebouncer.Press] {
        try succeed("poll(at: \(time))") { () throws(GPIOError) in try button.poll(at: time) }
    }
}

/// Sleeps (real time).
func pause(_ duration: Duration) {
    var request = timespec(
        tv_sec: Int(duration.components.seconds), tv_nsec: Int(duration.components.attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}
