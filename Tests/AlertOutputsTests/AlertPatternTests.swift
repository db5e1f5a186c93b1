import AlertOutputs
import Testing

@Suite struct AlertPatternTests {
    @Test func parsesStepsAndRepeat() throws {
        let pattern = try AlertPattern(parsing: "on 200ms, off 100ms, repeat 3")
        #expect(pattern.steps == [.on(.ms(200)), .off(.ms(100))])
        #expect(pattern.repetition == .times(3))
        #expect(pattern.cycleDuration == .ms(300))
        #expect(pattern.totalDuration == .ms(900))
        #expect(pattern.totalOnTime == .ms(600))
    }

    @Test func acceptsSecondsSpacesCaseAndForever() throws {
        let pattern = try AlertPattern(parsing: "  ON 0.5s ,Off 1 s,on 1.25 S, repeat FOREVER ")
        #expect(pattern.steps == [.on(.ms(500)), .off(.ms(1000)), .on(.ms(1250))])
        #expect(pattern.repetition == .forever)
        #expect(pattern.totalDuration == nil)
        #expect(pattern.totalOnTime == nil)
    }

    @Test func withoutRepeatPlaysOnce() throws {
        let pattern = try AlertPattern(parsing: "on 300ms")
        #expect(pattern.repetition == .times(1))
        #expect(pattern.totalDuration == .ms(300))
    }

    @Test func listFormEqualsTextForm() throws {
        let list = try AlertPattern(parsing: ["on 200ms", "off 100ms", "repeat 3"])
        #expect(list == (try AlertPattern(parsing: "on 200ms, off 100ms, repeat 3")))
    }

    @Test(arguments: [
        "on 200ms, off 100ms, repeat 3", "on 1s, off 250ms, on 2s, repeat forever", "on 10ms", "off 60s, on 15ms, repeat 100",
    ])
    func descriptionRoundTrips(text: String) throws {
        let pattern = try AlertPattern(parsing: text)
        #expect(pattern.description == text)
        #expect(try AlertPattern(parsing: pattern.description) == pattern)
    }

    @Test func isOnFollowsTheStepsAndStopsAtTheEnd() throws {
        let pattern = try AlertPattern(parsing: "on 200ms, off 100ms, repeat 2")
        let samples: [(Int64, Bool)] = [
            (-1, false), (0, true), (199, true), (200, false), (299, false), (300, true), (499, true), (500, false),
            (599, false), (600, false), (10_000, false),
        ]
        for (time, expected) in samples {
            #expect(pattern.isOn(at: .ms(time)) == expected, "at \(time) ms")
        }
    }

    @Test func nextChangeListsEveryEdgeThenNil() throws {
        let pattern = try AlertPattern(parsing: "on 200ms, off 100ms, repeat 2")
        var changes: [Duration] = []
        var time = Duration.ms(-5)
        while let next = pattern.nextChange(after: time) {
            changes.append(next)
            time = next
        }
        // The end (600 ms) is no change: the last step is already off.
        #expect(changes == [.ms(0), .ms(200), .ms(300), .ms(500)])
    }

    @Test func nextChangeOfAPatternEndingOnIsItsEnd() throws {
        let pattern = try AlertPattern(parsing: "off 50ms, on 100ms, repeat 2")
        #expect(pattern.nextChange(after: .ms(60)) == .ms(150))
        #expect(pattern.nextChange(after: .ms(200)) == .ms(300))
        #expect(pattern.nextChange(after: .ms(300)) == nil)
    }

    @Test func foreverPatternKeepsChangingAndAConstantOneNever() throws {
        let blinking = try AlertPattern(parsing: "on 100ms, off 100ms, repeat forever")
        #expect(blinking.nextChange(after: .seconds(3600)) == .seconds(3600) + .ms(100))
        #expect(blinking.isOn(at: .seconds(3600) + .ms(50)))
        let steady = try AlertPattern(parsing: "on 100ms, on 200ms, repeat forever")
        #expect(steady.nextChange(after: .ms(10)) == nil)
        #expect(steady.isOn(at: .seconds(100)))
    }

    /// Each bad text, the item the error must name (nil: the whole pattern) and the problem.
    static let badPatterns: [(String, Int?, AlertPatternError.Problem)] = [
        ("", nil, .empty),
        (" , ", nil, .empty),
        ("on 200ms,", 2, .emptyItem),
        ("on 200ms,, off 100ms", 2, .emptyItem),
        ("beep 200ms", 1, .unknownKeyword("beep")),
        ("on 200ms, off", 2, .missingDuration(keyword: "off")),
        ("on 200", 1, .missingUnit(number: "200")),
        ("on 200 min", 1, .unknownUnit("min")),
        ("on fast", 1, .badNumber("fast")),
        ("on -5ms", 1, .badNumber("-5ms")),
        ("on 1.2.3s", 1, .badNumber("1.2.3s")),
        ("on 1.0005s", 1, .notWholeMilliseconds("1.0005s")),
        ("on 5ms", 1, .stepTooShort(milliseconds: 5)),
        ("on 61s", 1, .stepTooLong(milliseconds: 61_000)),
        ("on 100ms, repeat", 2, .missingRepeatCount),
        ("on 100ms, repeat 0", 2, .repeatCountOutOfRange(0)),
        ("on 100ms, repeat 101", 2, .repeatCountOutOfRange(101)),
        ("on 100ms, repeat three", 2, .badRepeatCount("three")),
        ("on 100ms, repeat 3, off 100ms", 2, .repeatNotLast),
        ("on 100ms, repeat 3, repeat 2", 2, .repeatNotLast),
        ("off 100ms, repeat 3", nil, .noOnStep),
    ]

    @Test func errorsNameTheItemAndTheProblem() {
        for (text, item, problem) in Self.badPatterns {
            do {
                let pattern = try AlertPattern(parsing: text)
                Issue.record("\"\(text)\" parsed as \(pattern)")
            } catch {
                #expect(error.problem == problem, "\"\(text)\"")
                #expect(error.item == item, "\"\(text)\"")
                #expect(error.pattern == text)
                #expect(error.description.hasPrefix("alert pattern \"\(text)\": "))
            }
        }
    }

    @Test func errorDescriptionsAreReadable() {
        #expect(throws: AlertPatternError.self) { try AlertPattern(parsing: "on 200") }
        do {
            _ = try AlertPattern(parsing: "on 200ms, off 200")
        } catch {
            #expect(
                error.description
                    == "alert pattern \"on 200ms, off 200\": item 2 \"off 200\": the duration \"200\" has no unit; "
                    + "write 200ms or 200s")
        }
        do {
            _ = try AlertPattern(parsing: "blink 3")
        } catch {
            #expect(error.description.contains("\"blink\" is not a step; expected \"on <duration>\""))
        }
    }

    @Test func tooManyStepsIsRefused() {
        let text = Array(repeating: "on 10ms, off 10ms", count: 17).joined(separator: ", ")
        #expect(throws: AlertPatternError(pattern: text, problem: .tooManySteps(33))) {
            try AlertPattern(parsing: text)
        }
    }

    @Test func programmaticStepsAreCheckedToo() {
        #expect(throws: AlertPatternError.self) { try AlertPattern(steps: [.off(.ms(100))]) }
        #expect(throws: AlertPatternError.self) { try AlertPattern(steps: [.on(.microseconds(10_500))]) }
        #expect(throws: AlertPatternError.self) { try AlertPattern(steps: [.on(.ms(100))], repetition: .times(0)) }
        do {
            _ = try AlertPattern(steps: [.on(.ms(100)), .off(.ms(2))])
        } catch {
            #expect(error.item == 2)
            #expect(error.problem == .stepTooShort(milliseconds: 2))
        }
    }
}
