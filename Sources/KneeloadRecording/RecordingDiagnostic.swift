/// A damaged or cut-short part of a recording, found and stepped over while reading: where it starts
/// (byte offset from the start of the file), what was wrong, and how many bytes were skipped to the next
/// good frame. Samples before and after it are still read.
public struct RecordingDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Problem: Sendable, Hashable {
        /// Bytes that are not a frame (no sync word where one should start).
        case noFrameSync
        case checksumMismatch
        case lengthOutOfRange(UInt32)
        /// The file ends inside this frame: what power loss during a write leaves; only the last frame is lost.
        case truncated(needed: Int, available: Int)
        /// The frame's checksum holds but its contents do not make sense.
        case undecodable(String)
        case timeNotIncreasing(previous: Double, first: Double)
        case unexpectedHeader
    }

    public var file: String
    public var offset: Int
    public var problem: Problem
    public var skippedBytes: Int

    public init(file: String, offset: Int, problem: Problem, skippedBytes: Int) {
        self.file = file
        self.offset = offset
        self.problem = problem
        self.skippedBytes = skippedBytes
    }

    /// True for a cut-short last frame, the one loss the format expects (power loss, a file still being written).
    public var isTruncatedTail: Bool {
        if case .truncated = problem { return true }
        return false
    }

    public var description: String {
        let what: String
        switch problem {
        case .noFrameSync: what = "not a frame (no sync word)"
        case .checksumMismatch: what = "frame checksum mismatch"
        case .lengthOutOfRange(let length): what = "frame length \(length) out of range"
        case let .truncated(needed, available):
            what = "file ends inside a frame (\(needed) bytes needed, \(available) present); last frame lost"
        case .undecodable(let reason): what = "frame not decodable: \(reason)"
        case let .timeNotIncreasing(previous, first):
            what = "block starts at t_s \(first), not after the previous sample at \(previous)"
        case .unexpectedHeader: what = "a second header frame, ignored"
        }
        let skipped = skippedBytes > 0 && !isTruncatedTail ? "; skipped \(skippedBytes) bytes to the next good frame" : ""
        return "\(file): byte \(offset): \(what)\(skipped)"
    }
}
