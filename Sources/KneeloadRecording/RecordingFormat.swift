/// The constants and framing of the kneeload recording format (docs/recording-format.md):
///
///     file   = magic(8) frame*            the first frame is the header frame
///     frame  = sync(4) type(1) length(u32 LE) payload(length) crc32c(u32 LE over type, length, payload)
///
/// Integers are little-endian; varints are LEB128; signed varints are zigzag-mapped first.
public enum RecordingFormat {
    /// PNG-style: a high-bit byte (catches 7-bit transfers), "KLR", CR LF (catches newline translation),
    /// ^Z (stops `type` on DOS) and LF.
    public static let magic: [UInt8] = [0x89, 0x4B, 0x4C, 0x52, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Starts every frame; a reader that lost its place scans for it.
    static let sync: [UInt8] = [0xE2, 0x4B, 0x46, 0x9F]
    static let syncWord = UInt32(littleEndian: 0x9F46_4BE2)
    /// Readers refuse a major version they do not know; a minor version only adds frame types (skipped by
    /// older readers) or header fields.
    public static let versionMajor: UInt16 = 1
    public static let versionMinor: UInt16 = 0
    /// sync + type + length before the payload, CRC after it.
    static let frameOverhead = 13
    static let maxPayload = 1 << 24

    enum FrameType: UInt8 {
        case header = 1
        case samples = 2
        case event = 3
    }

    /// True when `bytes` starts like a recording (how `kneeload replay` tells it from CSV).
    public static func isRecording(_ bytes: [UInt8]) -> Bool { bytes.starts(with: magic) }

    /// One whole frame around `payload`.
    static func frame(_ type: FrameType, _ payload: [UInt8]) -> [UInt8] {
        var frame = sync
        frame.reserveCapacity(payload.count + frameOverhead)
        frame.append(type.rawValue)
        appendUInt32(UInt32(payload.count), to: &frame)
        frame.append(contentsOf: payload)
        let crc = frame.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[4...])) }
        appendUInt32(crc, to: &frame)
        return frame
    }

    static func appendUInt32(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    static func appendUInt16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    static func appendSignedVarint(_ value: Int64, to bytes: inout [UInt8]) { appendVarint(zigzag(value), to: &bytes) }

    @inline(__always) static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }
    @inline(__always) static func unzigzag(_ value: UInt64) -> Int64 { Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1) }
}

/// Reads little-endian fields and varints from a byte range; running off the end returns nil.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    var offset: Int
    let end: Int

    mutating func uint8() -> UInt8? {
        guard offset < end else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint16() -> UInt16? {
        guard offset + 2 <= end else { return nil }
        defer { offset += 2 }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < end, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }

    mutating func signedVarint() -> Int64? { varint().map(RecordingFormat.unzigzag) }

    mutating func rest() -> [UInt8] {
        defer { offset = end }
        return Array(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
    }
}
