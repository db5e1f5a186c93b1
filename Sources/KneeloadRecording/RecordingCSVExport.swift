/// A recording as the replay CSV of CONTRACTS §2: comment lines with the recording's context, then one
/// row per sample from `ReplayCSVWriter` (whose decimals are the recording's grid, so the CSV replays to
/// the same doubles), with each recorded event as a comment line where it happened.
public enum RecordingCSVExport {
    /// Streams the CSV to `emit` in chunks of about 64 KiB, each with the fraction of the recording read.
    public static func export<Failure: Error>(
        _ reader: inout RecordingReader, file: String, emit: ([UInt8], Double) throws(Failure) -> Void
    ) throws(Failure) {
        var writer = ReplayCSVWriter(
            hasGyro: reader.hasGyro, hasPressure: reader.hasPressure,
            comments: [
                "kneeload export of \(file) (recording format \(reader.versionMajor).\(reader.versionMinor))",
                "context: \(reader.contextJSON.filter { $0 != "\n" && $0 != "\r" })",
            ])
        var eventIndex = 0
        var rows = 0
        func placeEvents(_ writer: inout ReplayCSVWriter, upTo rows: Int, _ reader: RecordingReader) {
            let events = reader.events
            while eventIndex < events.count, events[eventIndex].samplesBefore <= rows {
                writer.appendComment(Self.describe(events[eventIndex].event))
                eventIndex += 1
            }
        }
        while let sample = reader.next() {
            placeEvents(&writer, upTo: rows, reader)
            writer.append(sample)
            rows += 1
            if writer.buffer.count >= 1 << 16 { try emit(writer.takeBytes(), reader.fractionRead) }
        }
        placeEvents(&writer, upTo: rows, reader)
        try emit(writer.takeBytes(), 1)
    }

    static func describe(_ event: RecordingEvent) -> String {
        var bytes: [UInt8] = []
        FixedPointText.append(event.time, decimals: 6, to: &bytes)
        var text = "event t_s=\(String(decoding: bytes, as: UTF8.self)) \(event.kind.name) sequence=\(event.sequence)"
        if event.count > 0 { text += " count=\(event.count)" }
        if !event.detail.isEmpty { text += ": " + event.detail }
        return text
    }
}
