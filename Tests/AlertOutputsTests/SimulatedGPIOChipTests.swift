import AlertOutputs
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct SimulatedGPIOChipTests {
    let clock = TestClock()
    let chip: SimulatedGPIOChip

    init() {
        let clock = self.clock
        chip = SimulatedGPIOChip(lineNames: ["GPIO17", "GPIO27", "GPIO22", "GPIO5"], now: { clock.now })
    }

    @Test func recordsEveryLevelWithItsTime() throws {
        let line = try chip.openOutput(.named("GPIO17"))
        clock.set(.ms(10))
        try line.set(true)
        clock.set(.ms(20))
        try line.set(true)  // no change: not recorded, but counted as a write
        clock.set(.ms(35))
        try line.set(false)
        clock.set(.ms(40))
        try line.release()
        let changes = chip.changes(on: "GPIO17")
        #expect(
            changes == [
                GPIOLineChange(line: "GPIO17", time: .zero, level: false, cause: .requested),
                GPIOLineChange(line: "GPIO17", time: .ms(10), level: true, cause: .set),
                GPIOLineChange(line: "GPIO17", time: .ms(35), level: false, cause: .set),
                GPIOLineChange(line: "GPIO17", time: .ms(40), level: false, cause: .released),
            ])
        #expect(chip.writeCount(of: "GPIO17") == 4, "three sets and the release's drive to off")
    }

    @Test func anActiveLowOutputStartsHighAndRecordsPhysicalLevels() throws {
        let line = try chip.openOutput(.chipOffset(chip: "gpiochip0", offset: 1), polarity: .activeLow)
        #expect(chip.level(of: "GPIO27") == true)
        try line.set(true)
        #expect(chip.level(of: "GPIO27") == false)
        #expect(line.label == "gpiochip0:1")
    }

    @Test func aLineHasOneConsumer() throws {
        let first = try chip.openOutput(.named("GPIO17"), consumer: "kneeloadd")
        do {
            _ = try chip.openInput(.named("GPIO17"), bias: .pullUp, consumer: "other")
            Issue.record("a held line must be refused")
        } catch {
            #expect(error.kind == .busy)
            #expect(error.holder == "kneeloadd")
            #expect(error.description.contains("in use by \"kneeloadd\""))
        }
        try first.release()
        let second = try chip.openInput(.named("GPIO17"), bias: .pullDown, consumer: "other")
        // The first object no longer owns the line: its writes fail instead of touching the new request.
        #expect(throws: GPIOError.self) { try first.set(true) }
        do { try first.set(true) } catch { #expect(error.kind == .released) }
        #expect(try second.read() == false)
    }

    @Test func unknownLinesAndOffsetsAreClearErrors() {
        do {
            _ = try chip.openOutput(.named("GPIO99"))
        } catch {
            #expect(error.kind == .lineNotFound)
            #expect(error.description.contains("no line of that name on the 1 GPIO chip(s) in gpiochip0"))
        }
        do {
            _ = try chip.openOutput(.chipOffset(chip: "gpiochip0", offset: 4))
        } catch {
            #expect(error.kind == .invalidOffset)
            #expect(error.description.hasSuffix("the chip has 4 lines (offsets 0 to 3)"))
        }
        do {
            _ = try chip.openOutput(.chipOffset(chip: "gpiochip9", offset: 0))
        } catch {
            #expect(error.kind == .chipNotFound)
        }
    }

    @Test func inputsQueueTimestampedEdgesAndReadLevels() throws {
        let line = try chip.openInput(.named("GPIO22"), bias: .pullUp)
        #expect(try line.read() == true)
        #expect(try line.waitForEdge(timeout: .seconds(1)) == false)
        clock.set(.ms(5))
        chip.drive("GPIO22", to: false)
        clock.set(.ms(7))
        chip.drive("GPIO22", to: false)  // no change: no edge
        clock.set(.ms(9))
        chip.drive("GPIO22", to: true)
        let edges = try line.queuedEdges()
        #expect(
            edges == [
                GPIOEdgeEvent(edge: .falling, timestamp: .ms(5), lineSequence: 1),
                GPIOEdgeEvent(edge: .rising, timestamp: .ms(9), lineSequence: 2),
            ])
        #expect(throws: GPIOError.self) { try line.readEdge() }
        #expect(line.eventDescriptor == nil)
    }

    @Test func aFullEventQueueDropsNewEdgesAndLeavesASequenceGap() throws {
        let line = try chip.openInput(.named("GPIO5"), bias: .pullDown)
        for step in 1...20 {
            clock.set(.ms(Int64(step)))
            chip.drive("GPIO5", to: step % 2 == 1)
        }
        let first = try line.queuedEdges()
        #expect(first.count == SimulatedGPIOChip.eventQueueCapacity)
        clock.set(.ms(30))
        chip.drive("GPIO5", to: true)
        let next = try line.queuedEdges()
        #expect(next.map(\.lineSequence) == [21], "sequence numbers 17-20 were lost")
    }

    @Test func aTestCannotDriveAnOutputFromOutside() throws {
        let line = try chip.openOutput(.named("GPIO17"))
        #expect(chip.drive("GPIO17", to: true) == false)
        #expect(chip.level(of: "GPIO17") == false)
        #expect(chip.drive("NOPE", to: true) == false)
        // Dropping the last reference releases the line (driven off first); then the test may drive it.
        withExtendedLifetime(line) {}
    }

    @Test func droppingALineReleasesIt() throws {
        do {
            let line = try chip.openOutput(.named("GPIO17"), polarity: .activeLow)
            try line.set(true)
        }
        #expect(chip.consumer(of: "GPIO17") == nil)
        #expect(chip.level(of: "GPIO17") == true, "driven off (high, active-low) before release")
        #expect(chip.drive("GPIO17", to: false))
    }

    @Test func releasedInputsRefuseEveryCall() throws {
        let line = try chip.openInput(.named("GPIO22"), bias: .asIs)
        line.release()
        line.release()
        for call in [{ _ = try line.read() }, { _ = try line.waitForEdge(timeout: .zero) }, { _ = try line.readEdge() }] {
            do {
                try call()
                Issue.record("a released line must refuse")
            } catch let error as GPIOError {
                #expect(error.kind == .released)
                #expect(error.errno == EBADF)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}
