/// A checkpoint that could not be written, or a state directory that cannot be used. Whatever the failure, the
/// previous good state file is untouched (the new one only replaces it by an atomic rename).
public enum StateStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call failed on `path`.
    case system(operation: StateFileOperation, path: String, errno: Int32)
    /// The state handed to `save` would not load back, so it was not written.
    case invalidState(StateFileProblem)

    public var description: String {
        switch self {
        case .system(let operation, let path, let code):
            "state store: cannot \(operation.rawValue) \(path): \(systemErrorText(code))"
        case .invalidState(let problem):
            "state store: refusing to save a state that \(problem)"
        }
    }
}

/// The step of reading or writing state that failed.
public enum StateFileOperation: String, Sendable, Equatable {
    case createDirectory = "create directory"
    case openDirectory = "open directory"
    case syncDirectory = "fsync directory"
    case open = "open"
    case read = "read"
    case write = "write"
    case sync = "fsync"
    case close = "close"
    case rename = "rename into place"
    case remove = "remove"
}
