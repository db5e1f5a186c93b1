import Foundation
import KneeloadStatus
import Logging
import ServiceLifecycle

/// The status socket as a part of the daemon that may fail alone: a socket that cannot be made (no runtime
/// directory, another daemon answering on it) is logged and the daemon goes on monitoring without it.
struct StatusService: Service {
    let path: String
    let provider: any StatusProvider
    let logger: Logger

    func run() async throws {
        let directory = (path as NSString).deletingLastPathComponent
        // Under systemd RuntimeDirectory= made it (0750); by hand, make it the same way.
        try? FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        do {
            try await StatusServer(socketPath: path, provider: provider, logger: logger).run()
        } catch is CancellationError {
            return
        } catch {
            logger.error("status socket \(path): \(error); running without it")
            try? await gracefulShutdown()
        }
    }
}
