import KneeloadCore
import Testing

@testable import KneeloadEngine

/// Hours of standing or sitting between runs: no engine state may decay into subnormal numbers, whose
/// arithmetic costs x86 about a hundred times more (an hour-long rest had doubled a day's replay time).
@Suite struct EngineLongRestTests {
    /// Every `Double` stored in `value`, its nested values and its collections, by path.
    static func subnormals(in value: Any, path: String = "", depth: Int = 0) -> [String] {
        if let number = value as? Double { return number.isSubnormal ? ["\(path) = \(number)"] : [] }
        guard depth < 16 else { return [] }
        var found: [String] = []
        for (offset, child) in Mirror(reflecting: value).children.enumerated() {
            found += subnormals(in: child.value, path: path + "." + (child.label ?? "\(offset)"), depth: depth + 1)
        }
        return found
    }

    @Test(arguments: [true, false])
    func nothingDecaysIntoSubnormalsOverAnHourAtRest(gyro: Bool) {
        let rate = 25.0
        let walk = SyntheticGait(pattern: SyntheticGait.walking).samples(rate: rate, strides: 20, gyro: gyro)
        var engine = KneeLoadEngine(configuration: EngineConfiguration())
        var events = EventBuffer(reservingCapacity: 64)
        for sample in walk { engine.process(sample, events: &events) }
        let stepsBefore = engine.totals.steps
        #expect(stepsBefore >= 12, "the walk before the rest is counted (\(stepsBefore) of 20 strides)")
        // A swing amplitude remembered with a 4 s time constant reaches the subnormal range after ~47 min.
        let restStart = walk.last!.time
        let restSamples = Int(3300 * rate)
        for index in 1...restSamples {
            let sample = SensorSample(
                time: restStart + Double(index) / rate, accel: Vector3(1, 0, 0), gyro: gyro ? .zero : nil,
                kneeFlexDeg: 1)
            engine.process(sample, events: &events)
        }
        let found = Self.subnormals(in: engine)
        #expect(found.isEmpty, "subnormal state after the rest: \(found)")
        // And a walk after the rest is still counted.
        let start = engine.timing.lastTime! + 1 / rate
        for sample in walk { engine.process(sample.shifted(by: start), events: &events) }
        #expect(engine.totals.steps - stepsBefore >= stepsBefore, "the walk after the rest is counted as well as the first")
    }
}

extension SensorSample {
    fileprivate func shifted(by offset: Double) -> SensorSample {
        var copy = self
        copy.time += offset
        return copy
    }
}
