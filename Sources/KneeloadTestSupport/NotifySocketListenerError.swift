#if canImport(Glibc)
    import Glibc
#endif

/// A socket call of `NotifySocketListener` failed: which one, on which socket, and the errno.
public struct NotifySocketListenerError: Error, CustomStringConvertible {
    public let operation: String
    public let socketName: String
    public let code: Int32

    public init(operation: String, socketName: String, code: Int32) {
        self.operation = operation
        self.socketName = socketName
        self.code = code
    }

    public var description: String {
        "\(operation) on notify socket \(socketName) failed: \(String(cString: strerror(code)))"
    }
}
