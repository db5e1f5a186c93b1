import KneeloadDaemon
import KneeloadEngine
import KneeloadStatus
import Synchronization
import Testing

/// The status socket's provider on a running loop: status from the loop's snapshot, ack through the loop.
@Suite struct StatusBridgeTests {
    @Test func statusShowsTheAlertAndAcknowledgeGoesThroughTheLoop() async throws {
        let harness = try DaemonHarness(scenario: "stairs", yaml: DaemonLoopTests.stairLimit)
        let bridge = StatusBridge(control: harness.control)
        var hooks = DaemonHooks()
        hooks.publish = { bridge.publish($0) }
        hooks.event = { bridge.handle($0) }
        harness.loop.replaceHooks(hooks)
        let watch = bridge.events()
        harness.runScenario()

        let before = await bridge.status()
        #expect(before.alertsActive == [.stairDescents])
        // Published every 100 ms of loop time: at most 10 samples behind at 100 Hz.
        #expect((0...10).contains(harness.loop.monitor.totals.samples - before.samples))
        #expect(before.session.stairDescentSteps == harness.loop.monitor.accumulator.sessionStairDescentSteps)
        #expect(before.sensors.map(\.state) == [.ok, .ok])
        #expect(before.mode == .simulated)

        let answered = Mutex<[AlertEvent]?>(nil)
        let task = Task {
            let acknowledged = await bridge.acknowledge()
            answered.withLock { $0 = acknowledged }
        }
        // Sample on, a little at a time, until the loop has answered.
        var end = harness.environment.end
        for _ in 0..<200 where answered.withLock({ $0 }) == nil {
            end += .milliseconds(10)
            harness.loop.run(until: end)
            try await Task.sleep(for: .milliseconds(5))
        }
        await task.value
        #expect(answered.withLock { $0 }?.map(\.kind) == [.stairDescents])
        harness.loop.run(until: end + .milliseconds(200))
        #expect(await bridge.status().alertsActive.isEmpty)

        bridge.finish()
        var kinds: [String] = []
        for await event in watch { kinds.append(event.typeName) }
        #expect(kinds.contains("alert") && kinds.contains("alert_acknowledged"))
        #expect(kinds.filter { $0 == "stair_descent_step" }.count == harness.loop.monitor.totals.stairDescentSteps)
    }
}
