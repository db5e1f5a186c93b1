import KneeloadCore
import KneeloadRecording

/// Every sample of a replay CSV or a recording, in order: what `kneeloadd --replay` plays back through the
/// simulated chips. Damaged recording frames are stepped over (`diagnostics` lists them).
public struct RecordedSamples: Sendable {
    public let file: String
    public let format: String
    public let samples: [SensorSample]
    public let hasGyro: Bool
    public let diagnostics: [RecordingDiagnostic]

    public init(bytes: [UInt8], file: String) throws(ReplayError) {
        self.file = file
        if RecordingFormat.isRecording(bytes) {
            var reader: RecordingReader
            do {
                reader = try RecordingReader(file: file, bytes: bytes)
            } catch {
                throw .recording(error)
            }
            (samples, hasGyro) = try Self.readAll(&reader)
            diagnostics = reader.diagnostics
        } else {
            var reader: ReplayCSVReader
            do {
                reader = try ReplayCSVReader(file: file, bytes: bytes)
            } catch {
                throw .input(error)
            }
            (samples, hasGyro) = try Self.readAll(&reader)
            diagnostics = []
        }
        format = RecordingFormat.isRecording(bytes) ? RecordingReader.format : ReplayCSVReader.format
    }

    private static func readAll<Source: ReplaySampleSource>(_ reader: inout Source) throws(ReplayError)
        -> ([SensorSample], Bool)
    {
        var samples: [SensorSample] = []
        while let sample = try reader.nextSample() { samples.append(sample) }
        return (samples, reader.hasGyro)
    }
}
