/// The pattern each alert kind and level plays: distinct rhythms per kind, so the runner can tell them apart
/// without looking, and warnings softer than alerts (fewer, shorter pulses, played once).
///
/// The standard rhythms (alert; the warning is a single, shorter play of a similar figure): cumulative load =
/// long beeps, load rate = fast beeps, stair descents = double beeps, session progression = long-short, sensor
/// fault = triple beeps. The engine raises no warning for sensor faults or session progression today; their
/// warning patterns are there for a configuration that adds them. Every standard pattern is finite, so an
/// unacknowledged alert does not sound for ever: the indicator LED keeps showing it (`AnnunciationSchedule`).
public struct AlertPatternTable: Sendable, Hashable {
    private var patterns: [AlertSignal: AlertPattern]
    /// Played by kinds the table has no pattern for (kinds added to the engine later).
    public var fallback: [AlertSignal.Level: AlertPattern]

    public init(patterns: [AlertSignal: AlertPattern], fallback: [AlertSignal.Level: AlertPattern]) {
        self.patterns = patterns
        self.fallback = fallback
    }

    public static let standard: AlertPatternTable = {
        // The texts are valid by construction (the tests parse every one); a failure here is a programming error
        // caught by those tests, so the table falls back to a plain beep rather than trapping.
        func pattern(_ text: String) -> AlertPattern {
            (try? AlertPattern(parsing: text)) ?? AlertPattern.plainBeep
        }
        return AlertPatternTable(
            patterns: [
                AlertSignal(.cumulativeLoad, .alert): pattern("on 600ms, off 300ms, repeat 3"),
                AlertSignal(.cumulativeLoad, .warning): pattern("on 300ms, off 300ms"),
                AlertSignal(.loadRate, .alert): pattern("on 120ms, off 120ms, repeat 8"),
                AlertSignal(.loadRate, .warning): pattern("on 60ms, off 120ms, on 60ms, off 120ms, on 60ms"),
                AlertSignal(.stairDescents, .alert): pattern("on 150ms, off 100ms, on 150ms, off 600ms, repeat 3"),
                AlertSignal(.stairDescents, .warning): pattern("on 80ms, off 100ms, on 80ms, off 300ms"),
                AlertSignal(.sessionProgression, .alert): pattern("on 600ms, off 150ms, on 150ms, off 600ms, repeat 3"),
                AlertSignal(.sessionProgression, .warning): pattern("on 300ms, off 100ms, on 80ms, off 300ms"),
                AlertSignal(.sensorFault, .alert):
                    pattern("on 100ms, off 100ms, on 100ms, off 100ms, on 100ms, off 1s, repeat 2"),
                AlertSignal(.sensorFault, .warning): pattern("on 40ms, off 60ms, on 40ms, off 60ms, on 40ms, off 60ms, on 40ms"),
            ],
            fallback: [
                .alert: pattern("on 400ms, off 200ms, repeat 3"),
                .warning: pattern("on 200ms, off 200ms"),
            ])
    }()

    /// The pattern for `signal`: its own, or the fallback of its level.
    public func pattern(for signal: AlertSignal) -> AlertPattern {
        patterns[signal] ?? fallback[signal.level] ?? .plainBeep
    }

    /// Whether `signal` has a pattern of its own (rather than the fallback).
    public func hasOwnPattern(for signal: AlertSignal) -> Bool { patterns[signal] != nil }

    /// Replaces one signal's pattern (a configuration override).
    public mutating func set(_ pattern: AlertPattern, for signal: AlertSignal) {
        patterns[signal] = pattern
    }
}
