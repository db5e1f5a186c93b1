import Foundation
import KneeloadCore
import KneeloadEngine
import Testing

@testable import KneeloadState

/// A checkpoint also holds the engine's learned sensor placement and the alert policy's state; a restart that
/// resumes the session takes both up, so an alert that fired before the restart does not fire again.
@Suite struct CalibrationAndAlertStateTests {
    static let limits: AlertLimits = {
        var limits = AlertLimits()
        limits.sessionLoadBWs = 5
        return limits
    }()

    /// Three seconds of quiet standing (the calibration learns the IMU's pose, strapped 20° off its axis), then
    /// the knee held bent at 60° (a long half squat): its quasi-static load passes the 5 BW·s session limit
    /// within seconds.
    static func sample(at t: Double) -> SensorSample {
        let toSensor = Rotation3.rollPitchYaw(rollDeg: 0, pitchDeg: 0, yawDeg: 20).transposed
        // Squatting, the shank leans forward by about half the knee angle.
        let lean = t < 3 ? 0 : 30 * Double.pi / 180
        return SensorSample(
            time: t, accel: toSensor * Vector3(cos(lean), -sin(lean), 0), gyro: .zero, kneeFlexDeg: t < 3 ? 1 : 60)
    }

    static func run(_ monitor: inout LoadMonitor, from start: Double, to end: Double) -> [AlertEvent] {
        var events = EventBuffer()
        var t = start
        while t < end {
            monitor.process(sample(at: t), events: &events)
            t += 0.01
        }
        return events.events.compactMap { if case .alert(let alert) = $0 { alert } else { nil } }
    }

    func checkpoint() throws -> (DaemonState, LoadMonitor) {
        var monitor = try LoadMonitor(
            limits: Self.limits, localTime: try LocalTime(epochSecondsAtStart: testEpoch, utcOffsetSeconds: 0))
        let fired = Self.run(&monitor, from: 0, to: 40)
        #expect(fired.map(\.kind).contains(.cumulativeLoad))
        let state = DaemonState(monitor: monitor, lifetimeBefore: LifetimeCounters(), savedAtEpochSeconds: testEpoch + 40)
        return (state, monitor)
    }

    @Test func aResumedSessionTakesUpTheCalibrationAndTheAlertStates() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = LogRecorder()
        let store = makeStore(directory.path, log)
        let (state, monitor) = try checkpoint()
        #expect(state.calibration == monitor.engine.learnedCalibration)
        #expect(state.calibration?.upFromStanding == true)
        #expect(state.alerts == monitor.policy.snapshot)
        try store.save(state)
        let loaded = try #require(store.load().state)
        #expect(loaded == state)

        let resumption = try #require(loaded.resumption(nowEpochSeconds: testEpoch + 70))
        #expect(abs(resumption.engineTime - 70) < 1e-6)
        #expect(resumption.calibration == state.calibration)
        #expect(resumption.alerts == state.alerts)
        #expect(resumption.dropped.isEmpty)

        var resumed = try LoadMonitor(
            limits: Self.limits, continuing: resumption.accumulator, calibration: resumption.calibration,
            alerts: resumption.alerts)
        #expect(resumed.engine.learnedCalibration == state.calibration)
        #expect(resumed.policy.activeKinds == [.cumulativeLoad])
        #expect(Self.run(&resumed, from: resumption.engineTime, to: 80).isEmpty)
        // Without the alert state the same session would alert a second time.
        var forgetful = try LoadMonitor(limits: Self.limits, continuing: resumption.accumulator)
        #expect(Self.run(&forgetful, from: resumption.engineTime, to: 80).contains { $0.kind == .cumulativeLoad && $0.level == .alert })
    }

    @Test func aFileWithoutThemStillLoads() throws {
        let (state, _) = try checkpoint()
        var json = try JSONSerialization.jsonObject(with: Data(StateStore.encode(state))) as! [String: Any]
        json["calibration"] = nil
        json["alerts"] = nil
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: directory.file(StateStore.fileName)))
        let loaded = try #require(makeStore(directory.path, LogRecorder()).load().state)
        #expect(loaded.accumulator == state.accumulator)
        #expect(loaded.calibration == nil && loaded.alerts == nil && loaded.unreadableParts.isEmpty)
        let resumption = try #require(loaded.resumption(nowEpochSeconds: testEpoch + 60))
        #expect(resumption.calibration == nil && resumption.alerts == nil && resumption.dropped.isEmpty)
    }

    @Test func damagedPartsAreDroppedAndNamedButTheHistoryIsKept() throws {
        let (state, _) = try checkpoint()
        var json = try JSONSerialization.jsonObject(with: Data(StateStore.encode(state))) as! [String: Any]
        var calibration = json["calibration"] as! [String: Any]
        calibration["up"] = [1, 0]
        json["calibration"] = calibration
        var alerts = json["alerts"] as! [String: Any]
        alerts["kindStates"] = "armed"
        json["alerts"] = alerts
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: directory.file(StateStore.fileName)))
        let loaded = try #require(makeStore(directory.path, LogRecorder()).load().state)
        #expect(loaded.accumulator == state.accumulator)
        #expect(loaded.lifetime == state.lifetime)
        #expect(loaded.calibration == nil && loaded.alerts == nil)
        #expect(loaded.unreadableParts.count == 2, "\(loaded.unreadableParts)")
        #expect(loaded.unreadableParts.first?.hasPrefix("calibration (at .calibration.up[2]: ") == true, "\(loaded.unreadableParts)")
        #expect(loaded.unreadableParts.last?.hasPrefix("alerts (at .alerts.kindStates: ") == true, "\(loaded.unreadableParts)")
        let resumption = try #require(loaded.resumption(nowEpochSeconds: testEpoch + 60))
        #expect(resumption.dropped == loaded.unreadableParts)
    }

    @Test func implausibleOrLaterPartsAreNotTakenUp() throws {
        var (state, _) = try checkpoint()
        state.calibration?.kneeOffsetDeg = 80
        let resumption = try #require(state.resumption(nowEpochSeconds: testEpoch + 60))
        #expect(resumption.calibration == nil)
        #expect(resumption.alerts != nil)
        #expect(resumption.dropped == ["calibration (kneeOffsetDeg 80.0 is beyond ±35.0°)"])

        // An alert state newer than the resumed clock cannot be continued on it.
        state.calibration = nil
        state.alerts?.latestT = 500
        let later = try #require(state.resumption(nowEpochSeconds: testEpoch + 60))
        #expect(later.alerts == nil)
        #expect(later.dropped.count == 1 && later.dropped[0].hasPrefix("alerts (its time 500.0"))
    }

    @Test func aNewSessionLearnsAfresh() throws {
        let (state, _) = try checkpoint()
        #expect(state.resumption(nowEpochSeconds: testEpoch + 40 + DaemonState.sessionResumeWindowS + 1) == nil)
    }
}
