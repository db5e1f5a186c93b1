import GaitSimulator
import KneeloadCore
import KneeloadRecording
import KneeloadSimulation
import SimulatedBus
import Testing

@Suite struct SimulationRunnerTests {
    /// A short scenario on a chosen rig: standing, then walking.
    func scenario(rig: String, seconds: Double = 6) throws -> Scenario {
        try Scenario(
            yaml: """
                name: test
                seed: 3
                rig:
                \(rig.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
                segments:
                  - {activity: stand, duration_s: 3}
                  - {activity: walk, duration_s: \(seconds)}
                """, source: "test")
    }

    func samples(_ scenario: Scenario, rate: Double = 100) throws -> [(SensorSample, Activity)] {
        var out: [(SensorSample, Activity)] = []
        try SimulationRunner(rig: SimulatedRig(scenario: scenario), rateHz: rate).run { out.append(($0, $1)) }
        return out
    }

    @Test(arguments: [50.0, 100, 200])
    func csvFollowsTheContractAtEachRate(rate: Double) throws {
        let rig = SimulatedRig(scenario: try Scenario.builtIn(named: "mixed"))
        var writer = ReplayCSVWriter(hasGyro: true, hasPressure: rig.scenario.rig.barometer, extraColumns: ["label"])
        let duration = 20.0
        try SimulationRunner(rig: rig, rateHz: rate).run(duration: duration) { writer.append($0, extra: [$1.rawValue]) }
        var reader = try ReplayCSVReader(file: "sim.csv", bytes: writer.buffer)
        #expect(reader.hasGyro)
        #expect(Array(reader.columns.prefix(8)) == ["t_s", "ax_g", "ay_g", "az_g", "gx_dps", "gy_dps", "gz_dps", "knee_flex_deg"])
        var count = 0
        while let sample = try reader.next() {
            // Every row is at k / rate exactly (to the CSV's microsecond resolution): no drift, no gaps.
            #expect(abs(sample.time - Double(count) / rate) < 5e-7)
            // Free fall in a running flight phase legitimately reads near 0 g; the range caps it at 16 g.
            #expect(sample.accel.norm.isFinite && sample.accel.norm < 16 * 1.74)
            count += 1
        }
        #expect(count == Int(duration * rate) + 1)
    }

    @Test func uprightStandingReadsOneGAlongTheShankThroughEveryIMU() throws {
        for imu in ["mpu6050", "mpu6500", "lsm6ds3", "lsm6dsox"] {
            let run = try samples(scenario(rig: "imu: \(imu)\naccel_bias_g: 0\ngyro_bias_dps: 0"))
            let standing = run.prefix(200).map(\.0)
            let mean = standing.reduce(Vector3.zero) { $0 + $1.accel } * (1 / Double(standing.count))
            #expect(abs(mean.x - 1) < 0.03, "\(imu): \(mean)")
            #expect(abs(mean.y) < 0.05 && abs(mean.z) < 0.05, "\(imu): \(mean)")
            #expect(standing.allSatisfy { $0.gyro != nil && $0.gyro!.norm < 8 }, "\(imu): postural sway is a few °/s")
        }
    }

    @Test func axisRemapUndoesTheChipOrientation() throws {
        // The chip is mounted turned; the remap in the rig description maps it back into the frame.
        let run = try samples(scenario(rig: "axis_remap: \"-y,x,z\"\naccel_bias_g: 0"))
        let mean = run.prefix(200).reduce(Vector3.zero) { $0 + $1.0.accel } * (1 / 200)
        #expect(abs(mean.x - 1) < 0.03, "\(mean)")
    }

    @Test func kneeSensorsFollowTheBodyModel() throws {
        for knee in ["ads1115", "as5600"] {
            let scenario = try scenario(rig: "knee_sensor: \(knee)\nknee_noise_deg: 0")
            let body = GaitSynthesizer(scenario: scenario)
            var worst = 0.0
            for (sample, _) in try samples(scenario) {
                worst = max(worst, abs(sample.kneeFlexDeg - body.state(at: sample.time).kneeFlexDeg))
            }
            // The AS5600 is exact to a count (0.09°). The flex divider is not linear in angle, so its two-point
            // calibration (exact at 0° and 90°) reads about 9° high near 45° (FlexSensorCircuit).
            #expect(worst < (knee == "as5600" ? 0.5 : 11), "\(knee): worst error \(worst)°")
        }
    }

    @Test func aTwoGRangeClipsImpactsAndANoGyroRigHasNoGyro() throws {
        let run = try samples(scenario(rig: "accel_range_g: 2\ngyro: false", seconds: 10))
        #expect(run.allSatisfy { $0.0.gyro == nil })
        let largest = run.map { max(abs($0.0.accel.x), abs($0.0.accel.y), abs($0.0.accel.z)) }.max()!
        #expect(largest <= 2.0)
        #expect(largest > 1.99, "walking impacts should reach the ±2 g rail")
    }

    @Test func sameSeedSameSamplesOtherSeedOtherSamples() throws {
        let scenario = try Scenario.builtIn(named: "walk")
        func first(_ seed: UInt64) throws -> [SensorSample] {
            var out: [SensorSample] = []
            try SimulationRunner(rig: SimulatedRig(scenario: scenario, seed: seed), rateHz: 100).run(duration: 3) { s, _ in out.append(s) }
            return out
        }
        #expect(try first(1) == first(1))
        #expect(try first(1) != first(2))
    }

    @Test func rateOutsideTheContractIsRefused() throws {
        let rig = SimulatedRig(scenario: try Scenario.builtIn(named: "walk"))
        #expect(throws: SimulationError.self) { try SimulationRunner(rig: rig, rateHz: 10) }
        #expect("\(SimulationError.rateOutOfRange(10))" == "sample rate 10.0 Hz is outside 25–1000 Hz")
    }

    @Test func failedTransfersSkipSamplesWithoutStoppingTheRun() throws {
        let rig = SimulatedRig(scenario: try Scenario.builtIn(named: "walk"))
        var times: [Double] = []
        let runner = try SimulationRunner(rig: rig, rateHz: 100)
        // Faults start after set-up, as they would on a loose connector mid-run.
        let summary = try runner.run(duration: 10) { sample, _ in
            if sample.time == 0 { rig.bus.setFaults(DeviceFaults(transferFailureRate: 0.05), at: rig.imuAddress) }
            times.append(sample.time)
        }
        #expect(summary.failedReads > 20 && summary.failedReads < 100)
        #expect(summary.samples + summary.failedReads == 1001)
        #expect(times == times.sorted())
    }
}
