import ArgumentParser
import GaitSimulator
import KneeloadRecording
import KneeloadSimulation
import Logging

/// `kneeload simulate SCENARIO (--csv OUT | --recording OUT) [--rate HZ] [--seed N] [--truth OUT.json]`
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a scenario through the simulated chips and the real drivers; write the replay CSV.",
        discussion: """
            SCENARIO is a built-in name (\(Scenario.builtInNames.joined(separator: ", "))) or a scenario file \
            (see simulator/scenarios/). The CSV follows CONTRACTS §2, with an extra `label` column naming the \
            activity under way; --recording writes the same samples as a kneeload recording (the daemon's \
            binary format); --truth writes the body model's ground truth (every foot contact) as JSON.
            """)

    @Argument(help: "A built-in scenario name or a scenario YAML file.")
    var scenario: String

    @Option(help: "Where to write the replay CSV ('-' for standard output).")
    var csv: String?

    @Option(help: "Where to write the samples as a kneeload recording.")
    var recording: String?

    @Option(help: "Sample rate in Hz (25–1000).")
    var rate: Double = 100

    @Option(help: "Seed overriding the scenario's own.")
    var seed: UInt64?

    @Option(help: "Where to write the ground truth JSON.")
    var truth: String?

    @Option(help: "Stop after this many seconds instead of the scenario's length.")
    var duration: Double?

    func validate() throws {
        guard SimulationRunner.rates.contains(rate) else {
            throw ValidationError("--rate \(rate) is outside 25–1000 Hz")
        }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be positive") }
        if csv == nil && recording == nil { throw ValidationError("give --csv OUT, --recording OUT or both") }
    }

    func run() throws {
        let loaded: Scenario
        do {
            loaded = try Scenario.resolve(scenario)
        } catch {
            // A file that is not there (or not readable) is "input missing"; one that does not parse is bad data.
            let unreadable = Scenario.reference(scenario) != .file(scenario) || error.line == nil
            throw CommandFailure(error.description, exitCode: unreadable ? CommandFailure.noInput : CommandFailure.dataError)
        }
        let rig = SimulatedRig(scenario: loaded, seed: seed)
        let runner = try SimulationRunner(rig: rig, rateHz: rate)
        let output = try csv.map { path throws(CommandFailure) in try OutputFile(path: path) }
        var writer = ReplayCSVWriter(
            hasGyro: rig.scenario.rig.gyro, hasPressure: rig.scenario.rig.barometer, extraColumns: ["label"],
            comments: [
                "kneeload simulate \(rig.scenario.name) seed \(rig.scenario.seed) rate \(Self.format(rate)) Hz",
                "rig: imu \(rig.scenario.rig.imu.rawValue), knee \(rig.scenario.rig.kneeSensor.rawValue)",
            ])
        var recorder = recording.map { path in
            RecordingWriter(
                storage: RecordingFile(path: path), context: Self.context(rig, rate: rate), policy: .singleFile,
                logger: Logger(label: "kneeload.simulate"))
        }
        let summary = try runner.run(duration: duration) { sample, activity in
            if let output {
                writer.append(sample, extra: [activity.rawValue])
                if writer.buffer.count >= 1 << 16 { try output.write(writer.takeBytes()) }
            }
            // The sample's place on the simulated clock is its sequence number: a failed read leaves a gap.
            recorder?.append(sample, sequence: UInt64((sample.time * rate).rounded()))
        }
        if let output {
            try output.write(writer.takeBytes())
            try output.close()
        }
        if var recorder {
            recorder.close()
            if recorder.state.stopReason != "closed" {
                throw CommandFailure(recorder.state.stopReason ?? "recording failed", exitCode: CommandFailure.cannotCreate)
            }
        }
        if let truth {
            var groundTruth = rig.synthesizer.truth()
            if let duration { groundTruth = groundTruth.truncated(to: duration) }
            let file = try OutputFile(path: truth)
            try file.write(Array((groundTruth.jsonString() + "\n").utf8))
            try file.close()
        }
        var note = "simulated \(rig.scenario.name): \(summary.samples) samples at \(Self.format(rate)) Hz"
        note += " (\(summary.imu), ODR \(Self.format(summary.imuOutputDataRateHz)) Hz; \(summary.kneeSensor))"
        if summary.failedReads > 0 { note += ", \(summary.failedReads) failed reads skipped" }
        printError(note)
    }

    /// The recording header's context for a simulated rig: what the daemon would write for the same chips.
    static func context(_ rig: SimulatedRig, rate: Double) -> RecordingContext {
        let description = rig.scenario.rig
        return RecordingContext(
            source: "kneeload simulate \(rig.scenario.name) seed \(rig.scenario.seed)", nominalRateHz: rate,
            axisRemap: description.axisRemap.description, imuChip: description.imu.rawValue,
            kneeSensorChip: description.kneeSensor.rawValue, accelRangeG: description.accelRangeG,
            gyroRangeDps: description.gyro ? description.gyroRangeDps : nil,
            flexCalibration: description.kneeSensor == .ads1115
                ? .init(
                    straightVolts: rig.flexCalibration.straightVolts, bentVolts: rig.flexCalibration.bentVolts,
                    bentDeg: rig.flexCalibration.bentDeg) : nil,
            kneeZeroOffsetDeg: description.kneeSensor == .as5600 ? rig.encoderZeroDeg : nil)
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
