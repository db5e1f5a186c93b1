/// The first place where a text stops being JSON (RFC 8259), for a log line a person can act on.
public struct JSONSyntaxError: Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// Offset of the offending byte from the start of the file (the file's length for an early end).
    public var byteOffset: Int
    /// 1-based line and column (column in bytes) of `byteOffset`.
    public var line: Int
    public var column: Int

    public init(message: String, byteOffset: Int, line: Int, column: Int) {
        self.message = message
        self.byteOffset = byteOffset
        self.line = line
        self.column = column
    }

    public var description: String {
        "\(message) at line \(line), column \(column) (byte \(byteOffset))"
    }
}
