import KneeloadSystemd
import Testing

/// sd_watchdog_enabled(3)'s rules for WATCHDOG_USEC and WATCHDOG_PID.
@Suite struct WatchdogRequestTests {
    static let ourPID: Int32 = 4242

    @Test(arguments: [
        ([:], WatchdogRequest.notRequested),
        (["WATCHDOG_PID": "4242"], .notRequested),
        (["WATCHDOG_USEC": "5000000"], .requested(timeout: .seconds(5))),
        (["WATCHDOG_USEC": "5000000", "WATCHDOG_PID": "4242"], .requested(timeout: .seconds(5))),
        (["WATCHDOG_USEC": "5000000", "WATCHDOG_PID": "1"], .forOtherProcess(pid: 1)),
        (["WATCHDOG_USEC": "0"], .invalid("WATCHDOG_USEC=0 is not a positive number of microseconds")),
        (["WATCHDOG_USEC": "-5"], .invalid("WATCHDOG_USEC=-5 is not a positive number of microseconds")),
        (["WATCHDOG_USEC": ""], .invalid("WATCHDOG_USEC= is not a positive number of microseconds")),
        (["WATCHDOG_USEC": "5000000", "WATCHDOG_PID": "self"], .invalid("WATCHDOG_PID=self is not a process id")),
        (["WATCHDOG_USEC": "5000000", "WATCHDOG_PID": "0"], .invalid("WATCHDOG_PID=0 is not a process id")),
    ] as [([String: String], WatchdogRequest)])
    func parsesTheEnvironment(environment: [String: String], expected: WatchdogRequest) {
        #expect(WatchdogRequest(environment: environment, processID: Self.ourPID) == expected)
    }

    @Test func pingIntervalIsHalfTheTimeoutAndOnlyWhenRequested() {
        #expect(WatchdogRequest.requested(timeout: .seconds(5)).pingInterval == .milliseconds(2_500))
        #expect(WatchdogRequest.requested(timeout: .microseconds(3)).pingInterval == .nanoseconds(1_500))
        #expect(WatchdogRequest.notRequested.pingInterval == nil)
        #expect(WatchdogRequest.forOtherProcess(pid: 1).pingInterval == nil)
        #expect(WatchdogRequest.invalid("x").pingInterval == nil)
    }
}
