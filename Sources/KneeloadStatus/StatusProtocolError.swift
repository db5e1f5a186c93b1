/// A request the server could not take; sent back as an `error` reply (the connection stays open), or a
/// connection it could not take (`tooManyConnections`: the reply is the only line, then it closes).
public enum StatusProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformedRequest(line: Int)
    case unknownCommand(String, line: Int)
    case requestTooLong(line: Int)
    case tooManyConnections(limit: Int)

    /// The reply's `error` code.
    public var code: String {
        switch self {
        case .malformedRequest: "malformed_request"
        case .unknownCommand: "unknown_command"
        case .requestTooLong: "request_too_long"
        case .tooManyConnections: "too_many_connections"
        }
    }

    public var description: String {
        switch self {
        case .malformedRequest(let line):
            "request line \(line) is not a JSON object with a string \"command\""
        case .unknownCommand(let command, let line):
            "request line \(line): unknown command \"\(command)\" (known: "
                + StatusRequest.allCases.map(\.rawValue).joined(separator: ", ") + ")"
        case .requestTooLong(let line):
            "request line \(line) is longer than \(StatusProtocol.maximumRequestBytes) bytes"
        case .tooManyConnections(let limit):
            "the daemon already serves \(limit) connections; try again later"
        }
    }
}
