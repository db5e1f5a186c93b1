import AlertOutputs
import Testing

@Suite struct ButtonDebouncerTests {
    static func edge(_ rising: Bool, _ milliseconds: Int64) -> GPIOEdgeEvent {
        GPIOEdgeEvent(edge: rising ? .rising : .falling, timestamp: .ms(milliseconds))
    }

    /// Active-low button with pull-up, released (high) at 0.
    func released() -> ButtonDebouncer {
        ButtonDebouncer(initialLevel: true, at: .zero)
    }

    @Test func aBouncyPressCountsOnceAfterTheLastBounce() {
        var debouncer = released()
        // Press at 100 ms with contact bounce until 106 ms.
        let bounces = [(false, 100), (true, 102), (false, 103), (true, 105), (false, 106)].map { Self.edge($0.0, Int64($0.1)) }
        for edge in bounces { #expect(debouncer.handle(edge) == nil) }
        #expect(debouncer.nextDeadline == .ms(136))
        #expect(debouncer.update(at: .ms(135)) == nil)
        #expect(!debouncer.isPressed)
        #expect(debouncer.update(at: .ms(136)) == ButtonDebouncer.Press(pressedAt: .ms(106), confirmedAt: .ms(136)))
        #expect(debouncer.isPressed)
        #expect(debouncer.update(at: .ms(500)) == nil, "a press is reported once, however long it is held")
        #expect(debouncer.nextDeadline == nil)
    }

    @Test func aPressIsConfirmedByTheNextEdgeTooWithItsOwnTimes() {
        var debouncer = released()
        #expect(debouncer.handle(Self.edge(false, 100)) == nil)
        // Released at 180 ms without any update in between: the press (100-130) is still found, with its times.
        #expect(debouncer.handle(Self.edge(true, 180)) == ButtonDebouncer.Press(pressedAt: .ms(100), confirmedAt: .ms(130)))
    }

    @Test func glitchesShorterThanTheDebounceTimeAreNotPresses() {
        var debouncer = released()
        for start in stride(from: Int64(0), to: 1000, by: 100) {
            #expect(debouncer.handle(Self.edge(false, start)) == nil)
            #expect(debouncer.handle(Self.edge(true, start + 29)) == nil)
        }
        #expect(debouncer.update(at: .seconds(5)) == nil)
        #expect(!debouncer.isPressed)
    }

    @Test func releaseBounceIsNotASecondPressButASecondPushIs() {
        var debouncer = released()
        _ = debouncer.handle(Self.edge(false, 0))
        #expect(debouncer.update(at: .ms(30)) != nil)
        // Release at 200 ms, bouncing back low twice.
        for edge in [Self.edge(true, 200), Self.edge(false, 202), Self.edge(true, 203), Self.edge(false, 205), Self.edge(true, 207)] {
            #expect(debouncer.handle(edge) == nil)
        }
        #expect(debouncer.update(at: .ms(237)) == nil)
        #expect(!debouncer.isPressed)
        _ = debouncer.handle(Self.edge(false, 400))
        #expect(debouncer.update(at: .ms(430)) == ButtonDebouncer.Press(pressedAt: .ms(400), confirmedAt: .ms(430)))
    }

    @Test func aReleaseShorterThanTheDebounceTimeDoesNotMakeTwoPresses() {
        var debouncer = released()
        _ = debouncer.handle(Self.edge(false, 0))
        #expect(debouncer.update(at: .ms(40)) != nil)
        _ = debouncer.handle(Self.edge(true, 100))
        _ = debouncer.handle(Self.edge(false, 120))  // back down after 20 ms: the release never settled
        #expect(debouncer.update(at: .ms(500)) == nil)
        #expect(debouncer.isPressed)
    }

    @Test func aRepeatedEdgeRestartsTheCount() {
        var debouncer = released()
        _ = debouncer.handle(Self.edge(false, 0))
        // A second falling edge (the rising one between was lost) means the contact moved at 20 ms.
        _ = debouncer.handle(Self.edge(false, 20))
        #expect(debouncer.update(at: .ms(30)) == nil)
        #expect(debouncer.update(at: .ms(50)) == ButtonDebouncer.Press(pressedAt: .ms(20), confirmedAt: .ms(50)))
    }

    @Test func aButtonHeldAtStartIsNotAPress() {
        var debouncer = ButtonDebouncer(initialLevel: false, at: .zero)
        #expect(debouncer.isPressed)
        #expect(debouncer.update(at: .seconds(10)) == nil)
        _ = debouncer.handle(Self.edge(true, 10_000))
        #expect(debouncer.update(at: .ms(10_100)) == nil)
        _ = debouncer.handle(Self.edge(false, 11_000))
        #expect(debouncer.update(at: .ms(11_030)) != nil)
    }

    @Test func activeHighWiringAndACustomDebounceTime() {
        let configuration = ButtonDebouncer.Configuration(debounceTime: .ms(50), polarity: .activeHigh, bias: .pullDown)
        var debouncer = ButtonDebouncer(configuration: configuration, initialLevel: false, at: .zero)
        _ = debouncer.handle(Self.edge(true, 10))
        #expect(debouncer.update(at: .ms(59)) == nil)
        #expect(debouncer.update(at: .ms(60)) == ButtonDebouncer.Press(pressedAt: .ms(10), confirmedAt: .ms(60)))
    }

    @Test func polledLevelsWorkLikeEdges() {
        var debouncer = released()
        #expect(debouncer.observe(level: true, at: .ms(5)) == nil)
        #expect(debouncer.observe(level: false, at: .ms(10)) == nil)
        #expect(debouncer.observe(level: false, at: .ms(30)) == nil, "the same level does not restart the count")
        #expect(debouncer.observe(level: false, at: .ms(40)) == ButtonDebouncer.Press(pressedAt: .ms(10), confirmedAt: .ms(40)))
    }

    @Test func timestampsFromThePastDoNotUndoTime() {
        var debouncer = released()
        _ = debouncer.handle(Self.edge(false, 100))
        #expect(debouncer.update(at: .ms(50)) == nil)
        #expect(debouncer.update(at: .ms(130)) != nil)
    }

    @Test func acknowledgeButtonOnTheSimulatedChip() throws {
        let clock = TestClock()
        let chip = SimulatedGPIOChip(lineNames: ["LED", "BUTTON"], now: { clock.now })
        let configuration = ButtonDebouncer.Configuration()
        let line = try chip.openInput(.named("BUTTON"), bias: configuration.bias)
        #expect(chip.level(of: "BUTTON") == true, "the pull-up holds the open button high")
        let button = try AcknowledgeButton(line: line, configuration: configuration, at: clock.now)
        var presses: [ButtonDebouncer.Press] = []
        // Push at 1 s with bounce, hold 200 ms, release with bounce; the loop polls every 10 ms.
        let script: [Int64: Bool] = [1000: false, 1001: true, 1002: false, 1004: true, 1005: false,
                                     1200: true, 1202: false, 1203: true]
        for millisecond in Int64(0)...2000 {
            clock.set(.ms(millisecond))
            if let level = script[millisecond] { chip.drive("BUTTON", to: level) }
            if millisecond % 10 == 0 { presses += try button.poll(at: clock.now) }
        }
        #expect(presses == [ButtonDebouncer.Press(pressedAt: .ms(1005), confirmedAt: .ms(1035))])
        #expect(chip.changes(on: "BUTTON").filter { $0.cause == .external }.count == script.count)
        button.release()
        #expect(chip.consumer(of: "BUTTON") == nil)
    }
}
