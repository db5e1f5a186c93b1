import Foundation

/// Runs the `kneeload` and `kneeloadd` binaries that `swift build` put next to this test bundle.
struct ToolProcess {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func binary(_ name: String = "kneeload") -> URL {
        // The test bundle sits in the same build products folder as the executables.
        let products = Bundle.main.bundleURL.deletingLastPathComponent()
        for folder in [products, Bundle.main.bundleURL] {
            let candidate = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug/\(name)")
            .standardized
    }

    static func run(
        _ arguments: [String], binary name: String = "kneeload", environment: [String: String]? = nil,
        in directory: URL? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = binary(name)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a large output cannot fill the pipe and stall the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kneeload-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
