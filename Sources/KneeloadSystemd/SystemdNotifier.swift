import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Tells systemd about the daemon's state over `$NOTIFY_SOCKET` (sd_notify(3)), without libsystemd.
///
/// Each message is one AF_UNIX datagram of newline-separated `KEY=VALUE` lines. The socket is opened once, at
/// init; sends never block (`MSG_DONTWAIT`: a full manager queue must not stall the sampling loop) and never
/// throw. The first failed send is logged at error level, later ones are only counted (`failedSends`), so a
/// missing manager cannot flood the journal at the watchdog rate. Without `$NOTIFY_SOCKET` every call is a
/// no-op that returns false.
///
/// Safe to call from any thread; `watchdog()` allocates nothing.
public final class SystemdNotifier: ServiceManagerNotifying {
    /// The socket messages go to, or nil when not running under a notify-aware manager.
    public let address: NotifySocketAddress?
    /// The watchdog request as read from the environment, whether or not it applies.
    public let watchdogRequest: WatchdogRequest

    private let descriptor: Int32
    private let logger: Logger
    private let monotonicMicroseconds: @Sendable () -> UInt64
    private let failureLogged = Atomic<Bool>(false)
    private let failures = Atomic<Int>(0)

    /// - Parameters:
    ///   - environment: where NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID are read.
    ///   - processID: this process, to compare with WATCHDOG_PID.
    ///   - monotonicMicroseconds: CLOCK_MONOTONIC in µs, for RELOADING's MONOTONIC_USEC.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        processID: Int32 = getpid(),
        logger: Logger,
        monotonicMicroseconds: @escaping @Sendable () -> UInt64 = SystemdNotifier.monotonicMicroseconds
    ) {
        self.logger = logger
        self.monotonicMicroseconds = monotonicMicroseconds
        watchdogRequest = WatchdogRequest(environment: environment, processID: processID)
        var opened: (NotifySocketAddress, Int32)?
        if let value = environment["NOTIFY_SOCKET"] {
            do {
                let address = try NotifySocketAddress(value)
                let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
                if descriptor >= 0 {
                    opened = (address, descriptor)
                } else {
                    logger.error(
                        "cannot open a socket for systemd notifications; continuing without them",
                        metadata: ["socket": "\(value)", "errno": "\(String(cString: strerror(errno)))"]
                    )
                }
            } catch {
                logger.error("\(error); continuing without systemd notifications")
            }
        }
        address = opened?.0
        descriptor = opened?.1 ?? -1
        if case .invalid(let reason) = watchdogRequest {
            logger.error("\(reason); the systemd watchdog is not served")
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Whether messages go anywhere.
    public var isEnabled: Bool { descriptor >= 0 }

    /// Sends that failed so far.
    public var failedSends: Int { failures.load(ordering: .relaxed) }

    /// Half the watchdog timeout, when systemd asked this process for pings and they can be delivered.
    public var watchdogInterval: Duration? {
        isEnabled ? watchdogRequest.pingInterval : nil
    }

    @discardableResult public func ready(status: String? = nil) -> Bool {
        send(Self.message("READY=1", status: status))
    }

    @discardableResult public func status(_ text: String) -> Bool {
        send(Self.message(nil, status: text))
    }

    @discardableResult public func watchdog() -> Bool {
        send(static: "WATCHDOG=1")
    }

    @discardableResult public func stopping(status: String? = nil) -> Bool {
        send(Self.message("STOPPING=1", status: status))
    }

    /// RELOADING=1 with MONOTONIC_USEC=, the time the reload began, which systemd ≥ 253 requires for
    /// `Type=notify-reload` (sd_notify(3)); older managers ignore the extra line.
    @discardableResult public func reloading(status: String? = nil) -> Bool {
        send(Self.message("RELOADING=1\nMONOTONIC_USEC=\(monotonicMicroseconds())", status: status))
    }

    /// Asks systemd to extend the current start, reload or stop timeout to `duration` from now
    /// (EXTEND_TIMEOUT_USEC=, sd_notify(3)); for a slow sensor bring-up.
    @discardableResult public func extendTimeout(by duration: Duration) -> Bool {
        let (seconds, attoseconds) = duration.components
        let microseconds = max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        return send("EXTEND_TIMEOUT_USEC=\(microseconds)")
    }

    /// CLOCK_MONOTONIC in microseconds, the clock systemd's MONOTONIC_USEC uses.
    @Sendable public static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    /// Joins a fixed line with a STATUS= line. A newline inside the status would start a new assignment, so
    /// line breaks become spaces.
    static func message(_ fixed: String?, status: String?) -> String {
        var lines: [String] = []
        if let fixed { lines.append(fixed) }
        if let status {
            let oneLine = String(status.map { $0.isNewline ? " " : $0 })
            lines.append("STATUS=\(oneLine)")
        }
        return lines.joined(separator: "\n")
    }

    private func send(static text: StaticString) -> Bool {
        text.withUTF8Buffer { deliver(UnsafeRawBufferPointer($0), text: "\(text)") }
    }

    private func send(_ text: String) -> Bool {
        var bytes = text
        return bytes.withUTF8 { deliver(UnsafeRawBufferPointer($0), text: text) }
    }

    private func deliver(_ bytes: UnsafeRawBufferPointer, text: @autoclosure () -> String) -> Bool {
        guard let address else { return false }
        let sent = address.withSocketAddress { pointer, length in
            sendto(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL), pointer, length)
        }
        if sent == bytes.count { return true }
        let code = sent < 0 ? errno : EMSGSIZE
        failures.add(1, ordering: .relaxed)
        if !failureLogged.exchange(true, ordering: .relaxed) {
            logger.error(
                "systemd notification failed; later failures are counted, not logged",
                metadata: [
                    "socket": "\(address.name)", "message": "\(text())",
                    "errno": "\(String(cString: strerror(code)))",
                ]
            )
        }
        return false
    }
}
