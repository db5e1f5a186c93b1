import ArgumentParser
import KneeloadStatus

#if canImport(Glibc)
    import Glibc
#endif

/// `--socket PATH`, shared by the commands that talk to the daemon.
struct SocketOption: ParsableArguments {
    @Option(help: "The daemon's status socket (default: $RUNTIME_DIRECTORY/kneeload.sock, else /run/kneeload/kneeload.sock).")
    var socket: String?

    /// CONTRACTS §5: `--socket`, else the runtime directory's socket.
    var path: String {
        socket ?? StatusSocketPath.resolve(environment: ["RUNTIME_DIRECTORY": getenv("RUNTIME_DIRECTORY").map { String(cString: $0) } ?? ""])
    }
}

/// A connection to the daemon, turning its failures into `CommandFailure`s: no daemon (or it went away or stopped
/// answering) is 69, a reply that cannot be read is 76.
struct DaemonConnection {
    /// How long `status` and `ack` wait for their reply.
    static let replyTimeoutSeconds = 5

    let client: StatusSocketClient

    init(path: String, timeout: Bool) throws(CommandFailure) {
        do {
            client = try StatusSocketClient(path: path, timeoutSeconds: timeout ? Self.replyTimeoutSeconds : nil)
        } catch {
            throw Self.failure(error)
        }
    }

    func send(_ request: StatusRequest) throws(CommandFailure) {
        do { try client.send(request) } catch { throw Self.failure(error) }
    }

    /// The next reply line and what it says; nil when the daemon closed the connection. An `error` reply fails.
    func next() throws(CommandFailure) -> (line: [UInt8], reply: StatusReply)? {
        let line: [UInt8]
        do {
            guard let read = try client.readLine() else { return nil }
            line = read
        } catch {
            throw Self.failure(error)
        }
        let reply: StatusReply
        do {
            reply = try StatusReply(line: line)
        } catch {
            throw CommandFailure("kneeloadd on \(client.path): \(error)", exitCode: CommandFailure.protocolError)
        }
        if case .error(let code, let message) = reply {
            throw CommandFailure("kneeloadd on \(client.path) refused the request (\(code)): \(message)", exitCode: CommandFailure.protocolError)
        }
        return (line, reply)
    }

    /// Sends `request` and returns its reply.
    func ask(_ request: StatusRequest) throws(CommandFailure) -> (line: [UInt8], reply: StatusReply) {
        try send(request)
        guard let answer = try next() else { throw Self.failure(.closed(path: client.path)) }
        return answer
    }

    func unexpected(_ reply: StatusReply) -> CommandFailure {
        CommandFailure("kneeloadd on \(client.path) sent an unexpected reply: \(reply)", exitCode: CommandFailure.protocolError)
    }

    private static func failure(_ error: StatusClientError) -> CommandFailure {
        CommandFailure(error.description, exitCode: CommandFailure.unavailable)
    }
}
