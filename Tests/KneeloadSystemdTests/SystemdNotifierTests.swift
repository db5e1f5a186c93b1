import KneeloadSystemd
import KneeloadTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The notifier against a real datagram socket playing systemd: exact payloads, both address kinds, and the
/// failure paths that must log instead of crashing.
@Suite struct SystemdNotifierTests {
    @Test(arguments: [false, true])
    func sendsEachStateChangeAsOneExactDatagram(abstract: Bool) throws {
        let listener = try NotifySocketListener(abstract: abstract)
        let log = CapturedLogLines()
        let notifier = SystemdNotifier(environment: listener.environment, logger: log.logger())
        #expect(notifier.isEnabled)
        #expect(notifier.address?.kind == (abstract ? .abstract : .path))

        #expect(notifier.ready(status: "sampling 2 sensors at 100 Hz"))
        #expect(notifier.status("1234 samples"))
        #expect(notifier.watchdog())
        #expect(notifier.stopping())
        #expect(notifier.ready())

        #expect(
            try listener.receiveQueued() == [
                "READY=1\nSTATUS=sampling 2 sensors at 100 Hz", "STATUS=1234 samples", "WATCHDOG=1", "STOPPING=1",
                "READY=1",
            ]
        )
        #expect(log.lines.isEmpty)
        #expect(notifier.failedSends == 0)
    }

    @Test func reloadingCarriesTheMonotonicTimeThenReadyEndsTheReload() throws {
        let listener = try NotifySocketListener()
        let notifier = SystemdNotifier(
            environment: listener.environment,
            logger: CapturedLogLines().logger(),
            monotonicMicroseconds: { 987_654_321 }
        )
        notifier.reloading(status: "reloading /etc/kneeload/kneeload.yaml")
        notifier.ready(status: "configuration reloaded")
        #expect(
            try listener.receiveQueued() == [
                "RELOADING=1\nMONOTONIC_USEC=987654321\nSTATUS=reloading /etc/kneeload/kneeload.yaml",
                "READY=1\nSTATUS=configuration reloaded",
            ]
        )
    }

    @Test func defaultReloadTimeIsClockMonotonic() throws {
        let listener = try NotifySocketListener()
        let notifier = SystemdNotifier(environment: listener.environment, logger: CapturedLogLines().logger())
        let before = SystemdNotifier.monotonicMicroseconds()
        notifier.reloading()
        let after = SystemdNotifier.monotonicMicroseconds()
        let message = try #require(try listener.receive())
        let lines = message.split(separator: "\n")
        #expect(lines.first == "RELOADING=1")
        let stamp = try #require(lines.last.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) })
        #expect(lines.count == 2 && lines[1].hasPrefix("MONOTONIC_USEC="))
        #expect((before...after).contains(stamp))
    }

    @Test func aLineBreakInAStatusCannotInjectAnotherAssignment() throws {
        let listener = try NotifySocketListener()
        let notifier = SystemdNotifier(environment: listener.environment, logger: CapturedLogLines().logger())
        notifier.status("bus error\nREADY=1")
        #expect(try listener.receive() == "STATUS=bus error READY=1")
    }

    @Test func extendTimeoutSendsMicroseconds() throws {
        let listener = try NotifySocketListener()
        let notifier = SystemdNotifier(environment: listener.environment, logger: CapturedLogLines().logger())
        notifier.extendTimeout(by: .seconds(30) + .milliseconds(5))
        #expect(try listener.receive() == "EXTEND_TIMEOUT_USEC=30005000")
    }

    @Test func withoutNotifySocketEverythingIsASilentNoOp() {
        let log = CapturedLogLines()
        let notifier = SystemdNotifier(
            environment: ["WATCHDOG_USEC": "5000000"],
            processID: 42,
            logger: log.logger()
        )
        #expect(!notifier.isEnabled)
        #expect(notifier.address == nil)
        #expect(!notifier.ready(status: "up"))
        #expect(!notifier.watchdog())
        #expect(!notifier.stopping())
        #expect(!notifier.reloading())
        // The request is read, but pings could not go anywhere, so the daemon is not asked to send them.
        #expect(notifier.watchdogRequest == .requested(timeout: .seconds(5)))
        #expect(notifier.watchdogInterval == nil)
        #expect(notifier.failedSends == 0)
        #expect(log.lines.isEmpty)
    }

    @Test func watchdogIntervalIsHalfTheTimeoutForThisProcess() throws {
        let listener = try NotifySocketListener()
        var environment = listener.environment
        environment["WATCHDOG_USEC"] = "5000000"
        environment["WATCHDOG_PID"] = "\(getpid())"
        let notifier = SystemdNotifier(environment: environment, logger: CapturedLogLines().logger())
        #expect(notifier.watchdogInterval == .milliseconds(2_500))

        environment["WATCHDOG_PID"] = "\(getpid() + 1)"
        let other = SystemdNotifier(environment: environment, logger: CapturedLogLines().logger())
        #expect(other.watchdogInterval == nil)
    }

    @Test func aMissingSocketFileIsLoggedOnceAndCounted() throws {
        let log = CapturedLogLines()
        let missing = "/tmp/kneeload-no-such-dir-\(getpid())/notify"
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": missing], logger: log.logger(label: "kneeloadd"))
        #expect(notifier.isEnabled)
        #expect(!notifier.ready(status: "up"))
        #expect(!notifier.watchdog())
        #expect(!notifier.watchdog())
        #expect(notifier.failedSends == 3)
        #expect(log.lines.count == 1)
        let line = try #require(log.lines.first)
        #expect(line.hasPrefix("<3>kneeloadd: systemd notification failed"))
        #expect(line.contains("errno=\"No such file or directory\""))
        #expect(line.contains("socket=\(missing)"))
        #expect(line.contains("message=\"READY=1\\nSTATUS=up\""))
    }

    @Test func aListenerThatWentAwayIsAFailureNotACrash() throws {
        var listener: NotifySocketListener? = try NotifySocketListener(abstract: true)
        let log = CapturedLogLines()
        let notifier = SystemdNotifier(environment: listener!.environment, logger: log.logger())
        #expect(notifier.watchdog())
        listener = nil
        #expect(!notifier.watchdog())
        #expect(notifier.failedSends == 1)
        #expect(log.lines.count == 1)
        #expect(log.lines.first?.contains("errno=\"Connection refused\"") == true)
    }

    @Test(arguments: [
        ("", "NOTIFY_SOCKET is set but empty"),
        ("run/notify", "NOTIFY_SOCKET=run/notify is neither a path"),
        ("vsock:2:1234", "NOTIFY_SOCKET=vsock:2:1234 is neither a path"),
        ("/" + String(repeating: "x", count: 108), "more than the 107 a sockaddr_un holds"),
        ("@" + String(repeating: "x", count: 108), "more than the 108 a sockaddr_un holds"),
    ])
    func unusableSocketNamesDisableTheNotifierWithAnError(value: String, expected: String) {
        let log = CapturedLogLines()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": value], logger: log.logger())
        #expect(!notifier.isEnabled)
        #expect(!notifier.watchdog())
        #expect(log.lines.count == 1)
        #expect(log.lines.first?.hasPrefix("<3>") == true)
        #expect(log.lines.first?.contains(expected) == true)
    }

    @Test func longestNamesThatFitAreAccepted() throws {
        let path = "/" + String(repeating: "x", count: 106)
        #expect(try NotifySocketAddress(path).kind == .path)
        let abstract = "@" + String(repeating: "x", count: 107)
        #expect(try NotifySocketAddress(abstract).kind == .abstract)
    }

    @Test func anInvalidWatchdogRequestIsLogged() throws {
        let listener = try NotifySocketListener()
        var environment = listener.environment
        environment["WATCHDOG_USEC"] = "5s"
        let log = CapturedLogLines()
        let notifier = SystemdNotifier(environment: environment, logger: log.logger())
        #expect(notifier.watchdogInterval == nil)
        #expect(
            log.lines == [
                "<3>test: WATCHDOG_USEC=5s is not a positive number of microseconds; the systemd watchdog is not served"
            ]
        )
    }
}
