import ArgumentParser
#if canImport(Glibc)
    import Glibc
#endif
import KneeloadRecording

/// `kneeload export FILE --csv OUT`: a recording as the replay CSV of CONTRACTS §2.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a kneeload recording as the replay CSV of CONTRACTS §2.",
        discussion: """
            The CSV holds exactly the recorded samples (replaying it gives the same output as replaying the \\
            recording), with the recording's context and its events as `#` comment lines. Damaged frames are \\
            skipped and named on stderr with their byte offsets (exit 65 once the CSV is written); a cut-short \\
            last frame only warns. Exit status: 0 done, 64 usage, 65 not a recording or damaged, 66 input \\
            missing or unreadable, 73 output not writable.
            """)

    @Argument(help: "The recording.")
    var file: String

    @Option(help: "Where to write the CSV ('-' for standard output).")
    var csv: String

    func run() throws {
        let bytes = try InputFile.readAll(file)
        var reader: RecordingReader
        do {
            reader = try RecordingReader(file: file, bytes: bytes)
        } catch {
            throw CommandFailure("\(error)", exitCode: CommandFailure.dataError)
        }
        let output = try OutputFile(path: csv)
        let showProgress = csv != "-" && isatty(STDERR_FILENO) == 1 && bytes.count > 4 << 20
        var written = 0
        try RecordingCSVExport.export(&reader, file: file) { (chunk: [UInt8], fraction: Double) throws(CommandFailure) in
            try output.write(chunk)
            written += 1
            if showProgress, written % 16 == 0 { printProgress(fraction) }
        }
        if showProgress { printProgress(nil) }
        try output.close()
        try reportDamage(reader.diagnostics, file: file)
    }
}
