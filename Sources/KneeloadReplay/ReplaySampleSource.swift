import KneeloadCore
import KneeloadRecording

/// Where a replay takes its samples from: the replay CSV or a binary recording.
protocol ReplaySampleSource: SendableMetatype {
    static var format: String { get }
    var hasGyro: Bool { get }
    var hasPressure: Bool { get }
    /// 0...1, for progress displays.
    var fractionRead: Double { get }
    mutating func nextSample() throws(ReplayError) -> SensorSample?
}

extension ReplayCSVReader: ReplaySampleSource {
    static var format: String { "csv" }

    mutating func nextSample() throws(ReplayError) -> SensorSample? {
        do {
            return try next()
        } catch {
            throw .input(error)
        }
    }
}

extension RecordingReader: ReplaySampleSource {
    static var format: String { "recording" }

    mutating func nextSample() throws(ReplayError) -> SensorSample? { next() }
}
