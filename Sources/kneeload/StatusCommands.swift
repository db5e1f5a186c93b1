import ArgumentParser
import KneeloadStatus

#if canImport(Glibc)
    import Glibc
#endif

/// `kneeload status [--json] [--socket PATH]` (CONTRACTS §5).
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Ask the running daemon how it is doing.",
        discussion: """
            Exit status: 0 done, 69 no daemon answers on the socket (the message names it and why), 76 a reply \
            that cannot be read.
            """)

    @Flag(help: "Print the status as one JSON object on one line (CONTRACTS §5).")
    var json = false

    @OptionGroup var socket: SocketOption

    func run() throws {
        let connection = try DaemonConnection(path: socket.path, timeout: true)
        let (_, reply) = try connection.ask(.status)
        guard case .status(let status) = reply else { throw connection.unexpected(reply) }
        let text = json ? status.json + "\n" : StatusText.summary(status, nowUnixS: Self.wallClock())
        try OutputFile(path: "-").write(Array(text.utf8))
    }

    static func wallClock() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

/// `kneeload ack [--json] [--socket PATH]`: acknowledges every active alert, as the button does.
struct AckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Acknowledge the daemon's active alerts, as the button does.",
        discussion: "Exit status: 0 done (also when nothing was active), 69 no daemon, 76 a reply that cannot be read.")

    @Flag(help: "Print the daemon's reply, one JSON object listing what was acknowledged.")
    var json = false

    @OptionGroup var socket: SocketOption

    func run() throws {
        let connection = try DaemonConnection(path: socket.path, timeout: true)
        let (line, reply) = try connection.ask(.acknowledge)
        guard case .acknowledged(let alerts) = reply else { throw connection.unexpected(reply) }
        let text =
            json
            ? String(decoding: line, as: UTF8.self) + "\n"
            : alerts.isEmpty
                ? "nothing to acknowledge\n"
                : "acknowledged: " + alerts.map { "\($0.kind.rawValue) (\($0.level.rawValue))" }.joined(separator: ", ") + "\n"
        try OutputFile(path: "-").write(Array(text.utf8))
    }
}

/// `kneeload watch [--json] [--socket PATH]`: prints the daemon's events as they happen, until interrupted.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print the daemon's alerts, steps and sensor changes as they happen.",
        discussion: """
            Runs until interrupted. Exit status: 69 no daemon, or it stopped (the connection closed); 76 a reply \
            that cannot be read.
            """)

    @Flag(help: "Print each event as the daemon sends it: one JSON object per line.")
    var json = false

    @OptionGroup var socket: SocketOption

    func run() throws {
        let connection = try DaemonConnection(path: socket.path, timeout: false)
        let (_, first) = try connection.ask(.watch)
        guard case .watching = first else { throw connection.unexpected(first) }
        let output = try OutputFile(path: "-")
        while let (line, reply) = try connection.next() {
            guard case .event(let event) = reply else { throw connection.unexpected(reply) }
            let text = json ? String(decoding: line, as: UTF8.self) : StatusText.event(event)
            try output.write(Array((text + "\n").utf8))
        }
        throw CommandFailure("kneeloadd closed the connection on \(socket.path)", exitCode: CommandFailure.unavailable)
    }
}
