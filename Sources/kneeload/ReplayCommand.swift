import ArgumentParser
#if canImport(Glibc)
    import Glibc
#endif
import KneeloadConfiguration
import KneeloadCore
import KneeloadEngine
import KneeloadPlot
import KneeloadRecording
import KneeloadReplay

/// `kneeload replay FILE [--json] [--events PATH] [--plot PATH] [--config PATH]` (CONTRACTS §3).
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run a recording or a replay CSV through the engine the daemon uses; print what it found.",
        discussion: """
            The input is a kneeload recording (told by its magic number, not its name) or the replay CSV of \
            CONTRACTS §2; the same samples give the same output either way, and the same input the same bytes. \
            A recording's damaged frames are stepped over and each named on stderr with its byte offset; the \
            output then covers the good frames and the exit status is 65. A recording whose last frame is cut \
            short (power loss) gets a warning line and exits 0. Exit status: 0 done, 64 usage, 65 bad input \
            data (the message names file and line or byte offset), 66 input missing or unreadable, 73 output \
            not writable, 78 bad configuration. --plot writes a 1200×800 SVG, whole or not at all (a temporary \
            file renamed into place).
            """)

    @Argument(help: "The recording (binary, as the daemon writes it) or a replay CSV.")
    var file: String

    @Flag(help: "Print exactly one JSON object (CONTRACTS §3) instead of the summary.")
    var json = false

    @Option(help: "Write every event as JSON Lines, in time order.")
    var events: String?

    @Option(help: "A configuration file (CONTRACTS §4) for body and limits.")
    var config: String?

    @Option(help: "Draw the run as an SVG: knee angle, load in the last minute and session load over time, with steps, stair descents and alerts marked.")
    var plot: String?

    func validate() throws {
        if plot == "-" { throw ValidationError("--plot needs a file: standard output carries the summary") }
    }

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
        let plotFile = try plot.map { path throws(CommandFailure) in try ReplacingOutputFile(path: path) }
        // Gathered only for --plot: without it the replay loop pays one nil check per sample.
        var trace = RunTrace()
        let observer: ReplaySession.Observer? = plotFile == nil ? nil : { sample, monitor in trace.add(sample, monitor: monitor) }
        let showProgress = isatty(STDERR_FILENO) == 1 && bytes.count > 4 << 20
        let session: ReplaySession
        do {
            session = try ReplaySession(
                input: bytes, file: file, configuration: configuration.engine, limits: configuration.limits,
                progress: showProgress ? { printProgress($0) } : nil, observer: observer)
        } catch {
            if showProgress { printProgress(nil) }
            switch error {
            case .input, .recording: throw CommandFailure("\(error)", exitCode: CommandFailure.dataError)
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
        if let plotFile {
            let drawing = RunPlot(summary: session.summary, events: session.events, trace: trace, limits: configuration.limits)
            try plotFile.commit(RunPlotSVG().render(drawing))
        }
        let output = json ? ReplayReport.json(session.summary) : ReplayReport.human(session.summary)
        let stdout = try OutputFile(path: "-")
        try stdout.write(Array(output.utf8))
        try reportDamage(session.summary.diagnostics, file: file)
    }
}

/// Names each damaged part of a recording on stderr; damage (not a cut-short last frame) is bad input
/// data, so it ends in one summary line and exit status 65 once the output is written.
func reportDamage(_ diagnostics: [RecordingDiagnostic], file: String) throws(CommandFailure) {
    for diagnostic in diagnostics {
        printError("kneeload: " + (diagnostic.isTruncatedTail ? "warning: " : "") + diagnostic.description)
    }
    let damaged = diagnostics.filter { !$0.isTruncatedTail }.count
    if damaged > 0 {
        throw CommandFailure(
            "\(file): \(damaged) damaged part(s) skipped; the output covers the good frames", exitCode: CommandFailure.dataError)
    }
}

/// A one-line progress display on a terminal; nil clears it.
func printProgress(_ fraction: Double?) {
    let line = fraction.map { "\rreplaying… \(Int($0 * 100))%" } ?? "\r\u{1B}[K"
    _ = Array(line.utf8).withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
