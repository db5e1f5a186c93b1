import KneeloadCore

/// Streams the samples of a recording held in memory, frame by frame.
///
/// The header frame must be intact (it says which channels the samples carry); after it, a frame that
/// fails its checksum or does not decode becomes a `RecordingDiagnostic` with its byte offset, and reading
/// goes on at the next sync word that starts a good frame. A file that ends inside a frame (power loss)
/// keeps everything before that frame. Nothing here traps on any input.
public struct RecordingReader {
    /// A recorded event and how many samples came before it.
    public struct PlacedEvent: Sendable, Hashable {
        public var samplesBefore: Int
        public var event: RecordingEvent
    }

    public let file: String
    public let versionMajor: UInt16
    public let versionMinor: UInt16
    public let hasGyro: Bool
    public let hasPressure: Bool
    /// The header's context as written, and parsed (nil when it does not parse; samples still read).
    public let contextJSON: String
    public let context: RecordingContext?
    public private(set) var diagnostics: [RecordingDiagnostic] = []
    public private(set) var events: [PlacedEvent] = []
    public var samplesRead: Int { blockStart + index }
    /// The sequence number of the sample `next()` returned last.
    public var sequence: UInt64 { index > 0 ? decoder.sequences[index - 1] : sequenceBeforeBlock }

    private let bytes: [UInt8]
    private var offset: Int
    /// Samples of the current block, held in `decoder`'s storage, and the next one to hand out. Visible to
    /// the inlined `next()`, so a caller in another module pays no call a sample.
    @usableFromInline var blockCount = 0
    @usableFromInline var index = 0
    /// Samples read before the current block, and the last one's sequence number.
    private var blockStart = 0
    private var sequenceBeforeBlock: UInt64 = 0
    private var lastTime = -Double.infinity
    @usableFromInline var decoder = SampleBlockDecoder()

    public init(file: String, bytes: [UInt8]) throws(RecordingError) {
        self.file = file
        self.bytes = bytes
        guard RecordingFormat.isRecording(bytes) else { throw RecordingError(file: file, offset: 0, problem: .notARecording) }
        let start = RecordingFormat.magic.count
        let header: (major: UInt16, minor: UInt16, flags: UInt8, json: String, end: Int)
        do {
            header = try Self.readHeader(bytes, at: start)
        } catch {
            throw RecordingError(file: file, offset: start, problem: error.problem)
        }
        guard header.major == RecordingFormat.versionMajor else {
            throw RecordingError(file: file, offset: start, problem: .unsupportedVersion(major: header.major, minor: header.minor))
        }
        versionMajor = header.major
        versionMinor = header.minor
        hasGyro = header.flags & 1 != 0
        hasPressure = header.flags & 2 != 0
        contextJSON = header.json
        context = RecordingContext(jsonText: header.json)
        offset = header.end
    }

    private struct HeaderProblem: Error { var problem: RecordingError.Problem }

    private static func readHeader(_ bytes: [UInt8], at start: Int) throws(HeaderProblem) -> (UInt16, UInt16, UInt8, String, Int) {
        func fail(_ reason: String) -> HeaderProblem { HeaderProblem(problem: .headerDamaged(reason)) }
        guard bytes.count >= start + RecordingFormat.frameOverhead else { throw fail("file ends inside it") }
        guard Array(bytes[start..<start + 4]) == RecordingFormat.sync else { throw fail("no frame sync word") }
        guard bytes[start + 4] == RecordingFormat.FrameType.header.rawValue else { throw fail("first frame is not a header") }
        let length = Self.uint32(bytes, start + 5)
        guard length <= UInt32(RecordingFormat.maxPayload) else { throw fail("length \(length) out of range") }
        let end = start + RecordingFormat.frameOverhead + Int(length)
        guard end <= bytes.count else { throw fail("file ends inside it") }
        guard Self.checksumHolds(bytes, start, Int(length)) else { throw fail("checksum mismatch") }
        let fields = bytes.withUnsafeBytes { raw -> (UInt16, UInt16, UInt8, [UInt8])? in
            var cursor = ByteCursor(bytes: raw, offset: start + 9, end: start + 9 + Int(length))
            guard let major = cursor.uint16(), let minor = cursor.uint16(), let flags = cursor.uint8() else { return nil }
            return (major, minor, flags, cursor.rest())
        }
        guard let (major, minor, flags, text) = fields else { throw fail("shorter than its fixed fields") }
        guard let json = String(validating: text, as: UTF8.self) else { throw fail("context is not UTF-8") }
        return (major, minor, flags, json, end)
    }

    /// How far through the bytes reading has got, 0...1 (for progress displays).
    public var fractionRead: Double { bytes.isEmpty ? 1 : Double(offset) / Double(bytes.count) }

    /// The next sample, or nil at the end of the file.
    @inlinable
    public mutating func next() -> SensorSample? {
        guard index < blockCount || nextBlock() else { return nil }
        index += 1
        return decoder.samples[index - 1]
    }

    /// Decodes the next block with samples; false at the end of the file.
    @usableFromInline
    mutating func nextBlock() -> Bool {
        sequenceBeforeBlock = sequence
        blockStart += index
        blockCount = 0
        index = 0
        while blockCount == 0 {
            guard readFrame() else { return false }
        }
        return true
    }

    /// Reads one good frame (stepping over damage before it); false at the end of the file.
    private mutating func readFrame() -> Bool {
        let total = bytes.count
        let overhead = RecordingFormat.frameOverhead
        var damage: (offset: Int, problem: RecordingDiagnostic.Problem)?
        func report(upTo end: Int) {
            if let damage {
                diagnostics.append(
                    RecordingDiagnostic(file: file, offset: damage.offset, problem: damage.problem, skippedBytes: end - damage.offset))
            }
        }
        while true {
            guard offset < total else {
                report(upTo: total)
                return false
            }
            guard hasSync(at: offset) else {
                if damage == nil { damage = (offset, .noFrameSync) }
                guard let found = nextSync(after: offset) else {
                    // A cut inside a sync word at the very end is a truncated tail, not garbage.
                    if damage!.offset == offset, total - offset < 4,
                        Array(bytes[offset...]) == Array(RecordingFormat.sync.prefix(total - offset))
                    {
                        diagnostics.append(
                            RecordingDiagnostic(
                                file: file, offset: offset, problem: .truncated(needed: overhead, available: total - offset),
                                skippedBytes: total - offset))
                    } else {
                        report(upTo: total)
                    }
                    offset = total
                    return false
                }
                offset = found
                continue
            }
            guard total - offset >= overhead else {
                report(upTo: offset)
                diagnostics.append(
                    RecordingDiagnostic(
                        file: file, offset: offset, problem: .truncated(needed: overhead, available: total - offset),
                        skippedBytes: total - offset))
                offset = total
                return false
            }
            let type = bytes[offset + 4]
            let length = Self.uint32(bytes, offset + 5)
            guard length <= UInt32(RecordingFormat.maxPayload) else {
                if damage == nil { damage = (offset, .lengthOutOfRange(length)) }
                offset += 1
                continue
            }
            let end = offset + overhead + Int(length)
            guard end <= total else {
                if nextSync(after: offset) == nil {
                    report(upTo: offset)
                    diagnostics.append(
                        RecordingDiagnostic(
                            file: file, offset: offset, problem: .truncated(needed: end - offset, available: total - offset),
                            skippedBytes: total - offset))
                    offset = total
                    return false
                }
                if damage == nil { damage = (offset, .lengthOutOfRange(length)) }
                offset += 1
                continue
            }
            guard Self.checksumHolds(bytes, offset, Int(length)) else {
                if damage == nil { damage = (offset, .checksumMismatch) }
                offset += 1
                continue
            }
            report(upTo: offset)
            damage = nil
            let frameStart = offset
            offset = end
            handle(type: type, payload: frameStart + 9..<end - 4, frameStart: frameStart)
            return true
        }
    }

    private mutating func handle(type: UInt8, payload: Range<Int>, frameStart: Int) {
        switch RecordingFormat.FrameType(rawValue: type) {
        case .samples:
            let problem = bytes.withUnsafeBytes { raw in
                decoder.decode(raw, from: payload.lowerBound, to: payload.upperBound, hasGyro: hasGyro, hasPressure: hasPressure)
            }
            if let problem {
                diagnostics.append(RecordingDiagnostic(file: file, offset: frameStart, problem: .undecodable(problem), skippedBytes: 0))
                return
            }
            let first = decoder.samples[0].time
            if first <= lastTime {
                diagnostics.append(
                    RecordingDiagnostic(
                        file: file, offset: frameStart, problem: .timeNotIncreasing(previous: lastTime, first: first),
                        skippedBytes: 0))
                return
            }
            blockCount = decoder.count
            lastTime = decoder.samples[blockCount - 1].time
        case .event:
            let event = bytes.withUnsafeBytes { raw in
                var cursor = ByteCursor(bytes: raw, offset: payload.lowerBound, end: payload.upperBound)
                return RecordingEvent(payload: &cursor)
            }
            if let event {
                events.append(PlacedEvent(samplesBefore: samplesRead, event: event))
            } else {
                diagnostics.append(
                    RecordingDiagnostic(file: file, offset: frameStart, problem: .undecodable("event cut short"), skippedBytes: 0))
            }
        case .header:
            diagnostics.append(RecordingDiagnostic(file: file, offset: frameStart, problem: .unexpectedHeader, skippedBytes: 0))
        case nil:
            break  // a frame type from a newer minor version: skipped by design
        }
    }

    private func hasSync(at position: Int) -> Bool {
        position + 4 <= bytes.count && Self.uint32(bytes, position) == RecordingFormat.syncWord
    }

    /// The next position after `position` where a sync word starts.
    private func nextSync(after position: Int) -> Int? {
        var p = position + 1
        let first = RecordingFormat.sync[0]
        while p + 4 <= bytes.count {
            if bytes[p] == first, hasSync(at: p) { return p }
            p += 1
        }
        return nil
    }

    private static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    private static func checksumHolds(_ bytes: [UInt8], _ start: Int, _ length: Int) -> Bool {
        bytes.withUnsafeBytes { raw in
            let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[(start + 4)..<(start + 9 + length)]))
            return crc == uint32(bytes, start + 9 + length)
        }
    }
}
