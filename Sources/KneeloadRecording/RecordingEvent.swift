/// Something that happened while recording, kept in the recording between the samples around it:
///
///     kind(u8) time µs(zigzag varint) sequence(varint) count(varint) detail(UTF-8, the rest)
public struct RecordingEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A sensor stopped answering or answered nonsense; `detail` says which and how.
        case sensorFault
        /// Samples the daemon could not take; `count` of them.
        case gap
        /// The configuration changed; `detail` holds the new text.
        case configurationChange
        /// Free text (for example why recording was resumed).
        case note
        /// A kind this reader does not know (written by a newer version).
        case unknown(UInt8)

        var code: UInt8 {
            switch self {
            case .sensorFault: 1
            case .gap: 2
            case .configurationChange: 3
            case .note: 4
            case .unknown(let code): code
            }
        }

        init(code: UInt8) {
            switch code {
            case 1: self = .sensorFault
            case 2: self = .gap
            case 3: self = .configurationChange
            case 4: self = .note
            default: self = .unknown(code)
            }
        }

        public var name: String {
            switch self {
            case .sensorFault: "sensor_fault"
            case .gap: "gap"
            case .configurationChange: "configuration_change"
            case .note: "note"
            case .unknown(let code): "unknown_\(code)"
            }
        }
    }

    public var kind: Kind
    /// Monotonic time of the event, seconds, on the samples' clock (kept to the µs).
    public var time: Double
    /// The sequence number of the next sample the daemon expected.
    public var sequence: UInt64
    public var count: Int
    public var detail: String

    public init(kind: Kind, time: Double, sequence: UInt64 = 0, count: Int = 0, detail: String = "") {
        self.kind = kind
        self.time = time
        self.sequence = sequence
        self.count = count
        self.detail = detail
    }

    var payload: [UInt8] {
        var bytes: [UInt8] = [kind.code]
        RecordingFormat.appendSignedVarint(RecordingGrid.units(time, RecordingGrid.timeScale) ?? 0, to: &bytes)
        RecordingFormat.appendVarint(sequence, to: &bytes)
        RecordingFormat.appendVarint(UInt64(max(0, count)), to: &bytes)
        bytes.append(contentsOf: Array(detail.utf8))
        return bytes
    }

    init?(payload cursor: inout ByteCursor) {
        guard let code = cursor.uint8(), let micros = cursor.signedVarint(), let sequence = cursor.varint(),
            let count = cursor.varint(), count <= UInt64(Int.max)
        else { return nil }
        kind = Kind(code: code)
        time = Double(micros) / RecordingGrid.timeScale
        self.sequence = sequence
        self.count = Int(count)
        detail = String(decoding: cursor.rest(), as: UTF8.self)
    }
}
