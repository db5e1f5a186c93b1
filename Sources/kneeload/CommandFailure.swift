/// A failure a command reports as one line on stderr with a specific exit status (CONTRACTS §3:
/// 64 usage, 65 bad input data, 66 input missing or unreadable, 73 cannot create output, 78 bad configuration;
/// for the daemon's socket, sysexits.h's 69 EX_UNAVAILABLE (no daemon) and 76 EX_PROTOCOL (a reply not understood)).
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32

    init(_ message: String, exitCode: Int32) {
        self.message = message
        self.exitCode = exitCode
    }

    var description: String { message }

    static let usage: Int32 = 64
    static let dataError: Int32 = 65
    static let noInput: Int32 = 66
    /// EX_UNAVAILABLE: the sensors (or the daemon) are not there.
    static let unavailable: Int32 = 69
    static let cannotCreate: Int32 = 73
    static let protocolError: Int32 = 76
    static let configurationError: Int32 = 78
}
