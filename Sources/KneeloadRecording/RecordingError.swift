/// A recording that cannot be read at all: it is not one, or its header frame is damaged, or it is of a
/// format version this reader does not know. Damage after the header is a `RecordingDiagnostic` instead.
public struct RecordingError: Error, Hashable, CustomStringConvertible {
    public enum Problem: Hashable, Sendable {
        case notARecording
        case headerDamaged(String)
        case unsupportedVersion(major: UInt16, minor: UInt16)
    }

    public var file: String
    public var offset: Int
    public var problem: Problem

    public init(file: String, offset: Int, problem: Problem) {
        self.file = file
        self.offset = offset
        self.problem = problem
    }

    public var description: String {
        switch problem {
        case .notARecording:
            "\(file): byte \(offset): not a kneeload recording (no magic number)"
        case .headerDamaged(let reason):
            "\(file): byte \(offset): header frame unreadable: \(reason)"
        case let .unsupportedVersion(major, minor):
            "\(file): byte \(offset): recording format \(major).\(minor) is newer than this reader "
                + "(\(RecordingFormat.versionMajor).x)"
        }
    }
}
