import ArgumentParser

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@main
struct KneeloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kneeload",
        abstract: "Tools for the kneeload knee-load monitor: simulate, record, replay and export; ask the daemon.",
        subcommands: [
            SimulateCommand.self, ReplayCommand.self, RecordCommand.self, ExportCommand.self, StatusCommand.self,
            AckCommand.self, WatchCommand.self,
        ]
    )

    /// Runs the command, turning a `CommandFailure` into one stderr line and its exit status; usage errors
    /// exit 64 as CONTRACTS §3 asks (ArgumentParser's own default would be 64 too, from EX_USAGE).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            printError("kneeload: \(failure.message)")
            Glibc.exit(failure.exitCode)
        } catch {
            exit(withError: error)
        }
    }
}
