import AlertOutputs
import KneeloadEngine
import Testing

@Suite struct AlertPatternTableTests {
    let table = AlertPatternTable.standard

    @Test func everyEngineAlertKindHasItsOwnPatterns() {
        for kind in AlertKind.allCases {
            for level in AlertSignal.Level.allCases {
                let signal = AlertSignal(AlertSignal.Kind(rawValue: kind.rawValue), level)
                #expect(table.hasOwnPattern(for: signal), "\(signal)")
            }
        }
        #expect(Set(AlertSignal.Kind.known.map(\.rawValue)) == Set(AlertKind.allCases.map(\.rawValue)))
    }

    @Test func everyStandardPatternIsDistinctAndFinite() {
        let signals = AlertSignal.Kind.known.flatMap { kind in AlertSignal.Level.allCases.map { AlertSignal(kind, $0) } }
        let patterns = signals.map { table.pattern(for: $0) }
        #expect(Set(patterns).count == signals.count)
        for (signal, pattern) in zip(signals, patterns) {
            #expect(pattern.totalDuration != nil, "\(signal) must end by itself")
            // Parsing the canonical text gives the same pattern: the table's texts are valid.
            #expect((try? AlertPattern(parsing: pattern.description)) == pattern)
        }
    }

    @Test func alertsOfDifferentKindsHaveDifferentRhythmsNotJustLengths() {
        // One play of each alert's steps: distinct step sequences, so the kinds are told apart by rhythm.
        let rhythms = AlertSignal.Kind.known.map { table.pattern(for: AlertSignal($0, .alert)).steps }
        #expect(Set(rhythms).count == rhythms.count)
    }

    @Test func warningsAreSofterThanAlerts() throws {
        for kind in AlertSignal.Kind.known {
            let warning = table.pattern(for: AlertSignal(kind, .warning))
            let alert = table.pattern(for: AlertSignal(kind, .alert))
            let warningOn = try #require(warning.totalOnTime)
            let alertOn = try #require(alert.totalOnTime)
            #expect(warningOn < alertOn, "\(kind): warning on for \(warningOn), alert for \(alertOn)")
            #expect(try #require(warning.totalDuration) < (try #require(alert.totalDuration)))
            #expect(warning.repetition == .times(1), "\(kind): a warning plays once")
        }
        let fallbackWarning = try #require(table.fallback[.warning]?.totalOnTime)
        let fallbackAlert = try #require(table.fallback[.alert]?.totalOnTime)
        #expect(fallbackWarning < fallbackAlert)
    }

    @Test func unknownKindsPlayTheFallbackAndOverridesReplace() throws {
        let newKind = AlertSignal(AlertSignal.Kind(rawValue: "hill_descents"), .alert)
        #expect(!table.hasOwnPattern(for: newKind))
        #expect(table.pattern(for: newKind) == table.fallback[.alert])
        var custom = table
        let pattern = try AlertPattern(parsing: "on 1s, off 1s, repeat 2")
        custom.set(pattern, for: AlertSignal(.loadRate, .alert))
        #expect(custom.pattern(for: AlertSignal(.loadRate, .alert)) == pattern)
        #expect(custom.pattern(for: AlertSignal(.loadRate, .warning)) == table.pattern(for: AlertSignal(.loadRate, .warning)))
    }

    @Test func signalDescriptionIsKindDotLevel() {
        #expect(AlertSignal(.stairDescents, .warning).description == "stair_descents.warning")
        #expect(AlertSignal.Level.warning < .alert)
    }
}
