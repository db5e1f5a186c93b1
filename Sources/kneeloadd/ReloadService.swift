import KneeloadConfiguration
import KneeloadDaemon
import KneeloadSystemd
import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP reloads the configuration file: a good one goes to the sampling loop, a bad one is logged with its
/// error and the old configuration stays (CONTRACTS §4). systemd hears RELOADING=1, then READY=1.
struct ReloadService: Service {
    let path: String?
    let control: DaemonControl
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        for await _ in hangups.cancelOnGracefulShutdown() {
            guard let path else {
                logger.notice("SIGHUP: no configuration file to reload; still on the defaults")
                continue
            }
            notifier.reloading(status: "reloading \(path)")
            do {
                control.requestReload(try Configuration.load(path: path))
                logger.info("SIGHUP: \(path) read")
            } catch {
                logger.error("SIGHUP: \(error); keeping the configuration in use")
            }
            notifier.ready(status: "configuration reloaded")
        }
    }
}
