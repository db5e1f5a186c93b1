import AlertOutputs
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct AlertAnnunciatorTests {
    /// A chip with a buzzer and an LED, an annunciator on them, and small round-number patterns.
    struct Rig {
        let clock = TestClock()
        let chip: SimulatedGPIOChip
        let annunciator: AlertAnnunciator

        init(ledPolarity: LinePolarity = .activeHigh, gap: Duration = .ms(500)) throws {
            let clock = self.clock
            chip = SimulatedGPIOChip(lineNames: ["BUZZER", "LED", "BUTTON"], now: { clock.now })
            var table = AlertPatternTable.standard
            table.set(try AlertPattern(parsing: "on 200ms, off 100ms, repeat 3"), for: AlertSignal(.loadRate, .alert))
            table.set(try AlertPattern(parsing: "on 100ms, off 300ms, repeat 2"), for: AlertSignal(.loadRate, .warning))
            table.set(try AlertPattern(parsing: "on 400ms, off 100ms"), for: AlertSignal(.stairDescents, .alert))
            table.set(
                try AlertPattern(parsing: "on 50ms, off 50ms, repeat forever"), for: AlertSignal(.sensorFault, .alert))
            annunciator = AlertAnnunciator(
                patternOutputs: [try chip.openOutput(.named("BUZZER"))],
                indicatorOutputs: [try chip.openOutput(.named("LED"), polarity: ledPolarity)],
                schedule: AnnunciationSchedule(patterns: table, gapBetweenSignals: gap))
        }

        /// Ticks at every deadline up to `end` (and at `end`), as a loop waiting on `nextDeadline` would.
        func run(until end: Duration) throws {
            while let deadline = annunciator.nextDeadline, deadline <= end {
                clock.set(max(clock.now, deadline))
                try annunciator.tick(at: clock.now)
            }
            clock.set(max(clock.now, end))
            try annunciator.tick(at: end)
        }

        func at(_ time: Duration, _ action: (AlertAnnunciator) throws -> Void) throws {
            try run(until: time)
            try action(annunciator)
            try annunciator.tick(at: time)
        }

        /// The level changes a consumer made on `line`: (milliseconds, level).
        func timeline(_ line: String) -> [(Int64, Bool)] {
            chip.changes(on: line).filter { $0.cause == .set }.map {
                ($0.time.components.seconds * 1000 + $0.time.components.attoseconds / 1_000_000_000_000_000, $0.level)
            }
        }
    }

    static func same(_ a: [(Int64, Bool)], _ b: [(Int64, Bool)]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    @Test func playsAnAlertToTheMillisecondAndHoldsTheLED() throws {
        let rig = try Rig()
        try rig.at(.zero) { $0.raise(AlertSignal(.loadRate, .alert), at: .zero) }
        try rig.run(until: .seconds(5))
        let buzzer = rig.timeline("BUZZER")
        #expect(Self.same(buzzer, [(0, true), (200, false), (300, true), (500, false), (600, true), (800, false)]), "\(buzzer)")
        // The LED shows the pattern, then stays lit from the pattern's end (900 ms) while unacknowledged.
        let led = rig.timeline("LED")
        #expect(
            Self.same(led, [(0, true), (200, false), (300, true), (500, false), (600, true), (800, false), (900, true)]),
            "\(led)")
        #expect(rig.chip.level(of: "LED") == true)
        #expect(rig.annunciator.nextDeadline == nil)
    }

    @Test func aFixedTickGridGivesTheSameTimeline() throws {
        let exact = try Rig()
        try exact.at(.zero) { $0.raise(AlertSignal(.loadRate, .alert), at: .zero) }
        try exact.run(until: .seconds(2))
        let grid = try Rig()
        grid.annunciator.raise(AlertSignal(.loadRate, .alert), at: .zero)
        for step in 0...200 {
            let time = Duration.ms(Int64(step) * 10)
            grid.clock.set(time)
            try grid.annunciator.tick(at: time)
        }
        #expect(Self.same(grid.timeline("BUZZER"), exact.timeline("BUZZER")))
        #expect(Self.same(grid.timeline("LED"), exact.timeline("LED")))
        // 201 ticks, but a line is written only when its level changes.
        #expect(grid.chip.writeCount(of: "BUZZER") == exact.timeline("BUZZER").count)
    }

    @Test func warningsDoNotHoldTheLED() throws {
        let rig = try Rig()
        try rig.at(.zero) { $0.raise(AlertSignal(.loadRate, .warning), at: .zero) }
        try rig.run(until: .seconds(3))
        #expect(Self.same(rig.timeline("BUZZER"), [(0, true), (100, false), (400, true), (500, false)]))
        #expect(Self.same(rig.timeline("LED"), [(0, true), (100, false), (400, true), (500, false)]))
        #expect(rig.annunciator.schedule.isIdle)
    }

    @Test func anAlertPreemptsAPlayingWarning() throws {
        let rig = try Rig()
        try rig.at(.zero) { $0.raise(AlertSignal(.loadRate, .warning), at: .zero) }
        // 450 ms: the warning's second beep (400-500 ms) is on; the alert cuts it and starts at once.
        try rig.at(.ms(450)) { $0.raise(AlertSignal(.stairDescents, .alert), at: .ms(450)) }
        try rig.run(until: .seconds(3))
        let buzzer = rig.timeline("BUZZER")
        #expect(Self.same(buzzer, [(0, true), (100, false), (400, true), (850, false)]), "\(buzzer)")
        #expect(rig.annunciator.schedule.queue.isEmpty, "the preempted warning is dropped, not resumed")
    }

    @Test func aSecondAlertWaitsForTheFirstAndTheGap() throws {
        let rig = try Rig(gap: .ms(500))
        try rig.at(.zero) { $0.raise(AlertSignal(.stairDescents, .alert), at: .zero) }
        try rig.at(.ms(100)) {
            $0.raise(AlertSignal(.loadRate, .warning), at: .ms(100))
            $0.raise(AlertSignal(.loadRate, .alert), at: .ms(100))
        }
        #expect(rig.annunciator.schedule.queue == [AlertSignal(.loadRate, .alert)], "the alert dropped its kind's warning")
        try rig.run(until: .seconds(5))
        // Stairs: on 0-400, off to 500 (end). Load rate starts at 500 + 500 = 1000.
        let buzzer = rig.timeline("BUZZER")
        #expect(
            Self.same(
                buzzer, [(0, true), (400, false), (1000, true), (1200, false), (1300, true), (1500, false), (1600, true), (1800, false)]),
            "\(buzzer)")
        // The LED holds from the end of the first pattern, through the gap, mirrors the second, then holds.
        let led = rig.timeline("LED")
        #expect(
            Self.same(
                led, [(0, true), (400, false), (500, true), (1200, false), (1300, true), (1500, false), (1600, true), (1800, false), (1900, true)]),
            "\(led)")
    }

    @Test func alertsQueueAheadOfWarnings() throws {
        let rig = try Rig()
        try rig.at(.zero) { $0.raise(AlertSignal(.stairDescents, .alert), at: .zero) }
        try rig.at(.ms(10)) {
            $0.raise(AlertSignal(.cumulativeLoad, .warning), at: .ms(10))
            $0.raise(AlertSignal(.sensorFault, .alert), at: .ms(10))
            $0.raise(AlertSignal(.cumulativeLoad, .warning), at: .ms(10))
        }
        #expect(
            rig.annunciator.schedule.queue == [AlertSignal(.sensorFault, .alert), AlertSignal(.cumulativeLoad, .warning)])
    }

    @Test func raisingThePlayingSignalAgainRestartsIt() throws {
        let rig = try Rig()
        try rig.at(.zero) { $0.raise(AlertSignal(.loadRate, .alert), at: .zero) }
        try rig.at(.ms(350)) { $0.raise(AlertSignal(.loadRate, .alert), at: .ms(350)) }
        try rig.run(until: .seconds(3))
        // 300-350 ms the second beep was on; the restart keeps it on and plays three beeps from 350 ms.
        let buzzer = rig.timeline("BUZZER")
        #expect(
            Self.same(
                buzzer, [(0, true), (200, false), (300, true), (550, false), (650, true), (850, false), (950, true), (1150, false)]),
            "\(buzzer)")
        #expect(rig.annunciator.schedule.unacknowledged == [AlertSignal(.loadRate, .alert)])
        #expect(rig.annunciator.schedule.queue.isEmpty)
    }

    @Test func acknowledgeSilencesEverythingAtOnce() throws {
        let rig = try Rig()
        try rig.at(.zero) {
            $0.raise(AlertSignal(.loadRate, .alert), at: .zero)
            $0.raise(AlertSignal(.stairDescents, .alert), at: .zero)
        }
        try rig.at(.ms(250)) { $0.acknowledge(at: .ms(250)) }
        try rig.run(until: .seconds(5))
        #expect(Self.same(rig.timeline("BUZZER"), [(0, true), (200, false)]))
        #expect(Self.same(rig.timeline("LED"), [(0, true), (200, false)]))
        #expect(rig.annunciator.schedule.isIdle)
        #expect(rig.annunciator.nextDeadline == nil)
    }

    @Test func acknowledgeDuringAnOnStepTurnsBothOff() throws {
        let rig = try Rig()
        try rig.at(.zero) { $0.raise(AlertSignal(.sensorFault, .alert), at: .zero) }
        try rig.run(until: .ms(1020))  // forever pattern: on in 1000-1050
        #expect(rig.chip.level(of: "BUZZER") == true)
        try rig.at(.ms(1020)) { $0.acknowledge(at: .ms(1020)) }
        #expect(rig.chip.level(of: "BUZZER") == false)
        #expect(rig.chip.level(of: "LED") == false)
    }

    @Test func withdrawDropsOneKind() throws {
        let rig = try Rig(gap: .ms(500))
        try rig.at(.zero) {
            $0.raise(AlertSignal(.stairDescents, .alert), at: .zero)
            $0.raise(AlertSignal(.loadRate, .alert), at: .zero)
        }
        try rig.at(.ms(100)) { $0.withdraw(.stairDescents, at: .ms(100)) }
        try rig.run(until: .seconds(3))
        let buzzer = rig.timeline("BUZZER")
        #expect(Self.same(buzzer.prefix(3).map { $0 }, [(0, true), (100, false), (600, true)]), "\(buzzer)")
        #expect(rig.annunciator.schedule.unacknowledged == [AlertSignal(.loadRate, .alert)])
    }

    @Test func aLateTickStillPlaysAQueuedSignalInFull() throws {
        let rig = try Rig(gap: .ms(500))
        try rig.at(.zero) {
            $0.raise(AlertSignal(.stairDescents, .alert), at: .zero)
            $0.raise(AlertSignal(.loadRate, .alert), at: .zero)
        }
        // The loop stalls: no tick from 0 to 5 s. The load-rate alert, due at 1000 ms, starts at 5000 ms.
        rig.clock.set(.seconds(5))
        try rig.annunciator.tick(at: .seconds(5))
        try rig.run(until: .seconds(10))
        // The buzzer was left on by the stalled loop, so 5000 ms is no change; the three beeps follow from there.
        let buzzer = rig.timeline("BUZZER")
        #expect(
            Self.same(buzzer, [(0, true), (5200, false), (5300, true), (5500, false), (5600, true), (5800, false)]),
            "\(buzzer)")
    }

    @Test func stopDrivesLinesToIdleAndReleasesThem() throws {
        let rig = try Rig(ledPolarity: .activeLow)
        try rig.at(.zero) { $0.raise(AlertSignal(.loadRate, .alert), at: .zero) }
        try rig.run(until: .ms(100))
        #expect(rig.chip.level(of: "BUZZER") == true)
        #expect(rig.chip.level(of: "LED") == false, "active-low LED on = low")
        rig.clock.set(.ms(120))
        try rig.annunciator.stop()
        #expect(rig.chip.level(of: "BUZZER") == false)
        #expect(rig.chip.level(of: "LED") == true, "active-low LED off = high")
        #expect(rig.chip.consumer(of: "BUZZER") == nil)
        #expect(rig.chip.consumer(of: "LED") == nil)
        let last = rig.chip.changes.suffix(4).map { "\($0.line) \($0.level) \($0.cause)" }
        #expect(last == ["BUZZER false set", "BUZZER false released", "LED true set", "LED true released"])
        // Stopped: nothing more is driven; a second stop is harmless.
        rig.annunciator.raise(AlertSignal(.stairDescents, .alert), at: .ms(200))
        try rig.annunciator.tick(at: .ms(200))
        try rig.annunciator.stop()
        #expect(rig.chip.level(of: "BUZZER") == false)
        #expect(rig.annunciator.nextDeadline == nil)
    }

    @Test func aFailingLineIsReportedRetriedAndDoesNotStopTheOthers() throws {
        let rig = try Rig()
        rig.chip.failWrites(on: "BUZZER", errno: EIO)
        rig.annunciator.raise(AlertSignal(.loadRate, .alert), at: .zero)
        #expect {
            try rig.annunciator.tick(at: .zero)
        } throws: { error in
            guard let error = error as? GPIOError else { return false }
            return error.line == "BUZZER" && error.errno == EIO && error.operation == .set
                && error.description.hasPrefix("GPIO line \"BUZZER\" (gpiochip0 offset 0): set failed: ")
        }
        #expect(rig.chip.level(of: "LED") == true, "the LED is driven all the same")
        #expect(rig.annunciator.nextDeadline == .ms(100), "retry within the retry interval")
        rig.chip.failWrites(on: "BUZZER", errno: nil)
        rig.clock.set(.ms(50))
        try rig.annunciator.tick(at: .ms(50))
        #expect(rig.chip.level(of: "BUZZER") == true)
        #expect(rig.annunciator.nextDeadline == .ms(200))
    }
}
