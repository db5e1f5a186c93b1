import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Runs the sampling loop on a thread of its own (it must not wait behind the cooperative pool), as a
/// ServiceLifecycle service: graceful shutdown (SIGTERM) asks the loop to stop, which saves the state and
/// turns the alert outputs off before `run()` returns.
///
/// The loop is built on its thread, retrying every `setupRetryInterval` while the bus or the sensors are not
/// there yet (a rig plugged in after boot), so that a missing sensor never stops the service from starting.
public final class SamplingService: Service {
    public let assembly: DaemonAssembly
    public let control: DaemonControl
    public let logger: Logger
    /// How long virtual (simulation) or real time runs; nil until stopped.
    public let runFor: Duration?
    private let thread: LoopThread

    public static let setupRetryInterval = Duration.seconds(2)

    /// Called once when shutdown is asked for (systemd STOPPING=1), before the loop is told to stop.
    private let onShutdownRequest: @Sendable () -> Void

    public init(
        assembly: DaemonAssembly, control: DaemonControl, hooks: sending DaemonHooks, runFor: Duration?, logger: Logger,
        onShutdownRequest: @escaping @Sendable () -> Void = {}
    ) {
        self.onShutdownRequest = onShutdownRequest
        self.assembly = assembly
        self.control = control
        self.logger = logger
        self.runFor = runFor
        thread = LoopThread(hooks: hooks)
    }

    public func run() async throws {
        let thread = thread
        let control = control
        await withGracefulShutdownHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let assembly = assembly
                let logger = logger
                let runFor = runFor
                thread.start(name: "kneeload-sampling") { hooks in
                    Self.runLoop(assembly: assembly, control: control, hooks: hooks, runFor: runFor, logger: logger)
                    for reply in control.take().acknowledgementReplies { reply([]) }
                    done.resume()
                }
            }
        } onGracefulShutdown: { [onShutdownRequest] in
            onShutdownRequest()
            control.requestStop()
        }
    }

    private static func runLoop(
        assembly: DaemonAssembly, control: DaemonControl, hooks: DaemonHooks, runFor: Duration?, logger: Logger
    ) {
        var reported: String?
        let waitClock = MonotonicLoopClock()
        while !control.isStopRequested {
            do {
                let loop = try assembly.makeLoop(control: control, hooks: hooks, logger: logger)
                loop.run(until: runFor.map { loop.start + $0 })
                loop.shutDown()
                return
            } catch {
                guard error.isTransient else {
                    logger.critical("\(error)")
                    return
                }
                let text = "\(error)"
                if text != reported {
                    logger.error("\(text); trying again every \(setupRetryInterval)")
                    reported = text
                }
                let until = waitClock.now + setupRetryInterval
                while !control.isStopRequested && waitClock.now < until {
                    waitClock.sleep(until: min(until, waitClock.now + .milliseconds(100)))
                }
            }
        }
    }
}

/// A thread that takes the (non-Sendable) hooks with it: they are handed over through a lock and never
/// touched by the starting side again.
private final class LoopThread: Sendable {
    private let hooks: Mutex<DaemonHooks?>

    init(hooks: sending DaemonHooks) {
        self.hooks = Mutex(hooks)
    }

    func start(name: String, _ body: @escaping @Sendable (DaemonHooks) -> Void) {
        let thread = Thread { [self] in
            guard let hooks = hooks.withLock({ $0.take() }) else { return }
            body(hooks)
        }
        thread.name = name
        thread.start()
    }
}
