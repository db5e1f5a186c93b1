import KneeloadConfiguration
import KneeloadDaemon
import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP reloads the configuration file: a good one goes to the sampling loop, a bad one is logged with its
/// error and the old configuration stays (CONTRACTS §4).
struct ReloadService: Service {
    let path: String?
    let control: DaemonControl
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await withGracefulShutdownHandler {
            for await _ in hangups {
                guard let path else {
                    logger.notice("SIGHUP: no configuration file to reload; still on the defaults")
                    continue
                }
                do {
                    control.requestReload(try Configuration.load(path: path))
                    logger.info("SIGHUP: \(path) read")
                } catch {
                    logger.error("SIGHUP: \(error); keeping the configuration in use")
                }
            }
        } onGracefulShutdown: {}
    }
}
