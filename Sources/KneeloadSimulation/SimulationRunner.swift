import GaitSimulator
import KneeloadCore
import SensorDrivers
import SimulatedBus

/// Reads a simulated rig through the real drivers at a fixed rate on the virtual clock, producing samples
/// in the CONTRACTS frame: what `kneeload simulate` writes as CSV.
///
/// A read that fails (an injected bus fault) skips that sample; the gap in the timestamps then shows as
/// dropped samples downstream, exactly as on hardware.
public struct SimulationRunner {
    public let rig: SimulatedRig
    public let rateHz: Double
    public static let rates: ClosedRange<Double> = 25...1000

    public struct Summary: Sendable, Hashable {
        public var samples = 0
        public var failedReads = 0
        public var imu = ""
        public var kneeSensor = ""
        public var imuOutputDataRateHz = 0.0
    }

    public init(rig: SimulatedRig, rateHz: Double) throws(SimulationError) {
        guard Self.rates.contains(rateHz) else { throw .rateOutOfRange(rateHz) }
        self.rig = rig
        self.rateHz = rateHz
    }

    /// Runs for `duration` seconds of body time (the scenario's whole length by default), handing each
    /// sample and the activity under way to `emit`.
    @discardableResult
    public func run(duration: Double? = nil, _ emit: (SensorSample, Activity) throws -> Void) throws -> Summary {
        let description = rig.scenario.rig
        let imu = rig.makeIMUDriver()
        let knee = rig.makeKneeSensor()
        var summary = Summary()
        do {
            summary.imu = try imu.probe().chip
            let applied = try imu.configure(
                IMUSettings(
                    accelRangeG: description.accelRangeG, gyroRangeDPS: description.gyroRangeDps, sampleRateHz: rateHz))
            summary.imuOutputDataRateHz = applied.outputDataRateHz
            summary.kneeSensor = try knee.probe().chip
            try knee.configure()
        } catch {
            throw SimulationError.rigSetup(error)
        }
        let total = duration ?? rig.scenario.duration
        let count = Int((total * rateHz).rounded(.down)) + 1
        let periodNanos = 1e9 / rateHz
        for k in 0..<count {
            let instant = SimulatedRig.warmUp + .nanoseconds(Int64((Double(k) * periodNanos).rounded()))
            rig.clock.advance(to: instant)
            let time = Double(k) / rateHz
            do {
                let motion = try imu.read()
                let flexion = try knee.readFlexion()
                let body = rig.synthesizer.state(at: time)
                let sample = SensorSample(
                    time: time,
                    accel: description.axisRemap.apply(motion.accel),
                    gyro: description.gyro ? motion.gyro.map(description.axisRemap.apply) : nil,
                    kneeFlexDeg: flexion,
                    pressurePa: description.barometer ? body.pressurePa : nil)
                try emit(sample, body.activity)
                summary.samples += 1
            } catch is SensorError {
                summary.failedReads += 1
            }
        }
        return summary
    }
}

public enum SimulationError: Error, CustomStringConvertible {
    case rateOutOfRange(Double)
    case rigSetup(SensorError)

    public var description: String {
        switch self {
        case .rateOutOfRange(let rate):
            "sample rate \(rate) Hz is outside \(Int(SimulationRunner.rates.lowerBound))–\(Int(SimulationRunner.rates.upperBound)) Hz"
        case .rigSetup(let error):
            "setting up the simulated rig failed: \(error)"
        }
    }
}
