#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a state file cannot be restored. The file is then set aside and the daemon starts fresh.
public enum StateFileProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// Opening or reading failed with this errno (permissions, I/O error, a directory in its place).
    case unreadable(errno: Int32)
    /// Larger than any state this daemon writes.
    case tooLarge(bytes: Int, limit: Int)
    /// Not JSON text at all, with the position of the first error.
    case notJSON(JSONSyntaxError)
    /// A format version this code does not read (`nil`: none given).
    case wrongVersion(found: Int?, expected: Int)
    /// JSON of the wrong shape or with values that do not fit together (a negative load, days out of order...).
    case invalidContent(String)

    public var description: String {
        switch self {
        case .unreadable(let code):
            "cannot be read: \(systemErrorText(code))"
        case .tooLarge(let bytes, let limit):
            "is \(bytes) bytes, more than the \(limit) bytes a state file can be"
        case .notJSON(let error):
            "is not valid JSON: \(error)"
        case .wrongVersion(let found?, let expected):
            "has format version \(found), this daemon reads version \(expected)"
        case .wrongVersion(nil, let expected):
            "has no formatVersion, this daemon reads version \(expected)"
        case .invalidContent(let problem):
            "is not a valid state: \(problem)"
        }
    }
}

/// `strerror` text with the errno number, e.g. "Permission denied (errno 13)".
func systemErrorText(_ code: Int32) -> String {
    "\(String(cString: strerror(code))) (errno \(code))"
}
