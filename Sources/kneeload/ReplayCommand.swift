import ArgumentParser
#if canImport(Glibc)
    import Glibc
#endif
import KneeloadConfiguration
import KneeloadEngine
import KneeloadReplay

/// `kneeload replay FILE [--json] [--events PATH] [--config PATH]` (CONTRACTS §3).
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run a recorded CSV through the engine the daemon uses; print what it found.",
        discussion: """
            The input is the replay CSV of CONTRACTS §2. Output is deterministic: the same input gives the same \
            bytes. Exit status: 0 done, 64 usage, 65 bad input data (the message names file and line), 66 input \
            missing or unreadable, 73 output not writable, 78 bad configuration.
            """)

    @Argument(help: "The recording: a replay CSV.")
    var file: String

    @Flag(help: "Print exactly one JSON object (CONTRACTS §3) instead of the summary.")
    var json = false

    @Option(help: "Write every event as JSON Lines, in time order.")
    var events: String?

    @Option(help: "A configuration file (CONTRACTS §4) for body and limits.")
    var config: String?

    func run() throws {
        var configuration = Configuration()
        if let config {
            do {
                configuration = try Configuration.load(path: config)
            } catch {
                throw CommandFailure("\(error)", exitCode: CommandFailure.configurationError)
            }
        }
        let bytes = try InputFile.readAll(file)
        let eventsFile = try events.map { path throws(CommandFailure) in try OutputFile(path: path) }
        let showProgress = !json && isatty(STDERR_FILENO) == 1 && bytes.count > 8 << 20
        let session: ReplaySession
        do {
            session = try ReplaySession(
                csv: bytes, file: file, configuration: configuration.engine, limits: configuration.limits,
                progress: showProgress ? { printProgress($0) } : nil)
        } catch {
            if showProgress { printProgress(nil) }
            switch error {
            case .input: throw CommandFailure("\(error)", exitCode: CommandFailure.dataError)
            case .configuration: throw CommandFailure("\(error)", exitCode: CommandFailure.configurationError)
            }
        }
        if showProgress { printProgress(nil) }
        if let eventsFile {
            var text: [UInt8] = []
            for event in session.events { text.append(contentsOf: Array(ReplayReport.eventLine(event).utf8)) }
            try eventsFile.write(text)
            try eventsFile.close()
        }
        let output = json ? ReplayReport.json(session.summary) : ReplayReport.human(session.summary)
        let stdout = try OutputFile(path: "-")
        try stdout.write(Array(output.utf8))
    }
}

/// A one-line progress display on a terminal; nil clears it.
private func printProgress(_ fraction: Double?) {
    let line = fraction.map { "\rreplaying… \(Int($0 * 100))%" } ?? "\r\u{1B}[K"
    _ = Array(line.utf8).withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
