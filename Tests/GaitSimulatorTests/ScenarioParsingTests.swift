import Foundation
import KneeloadCore
import Testing
@testable import GaitSimulator

@Suite struct ScenarioParsingTests {
    func error(_ yaml: String) -> ScenarioError? {
        do {
            _ = try Scenario(yaml: yaml, source: "bad.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func outOfRangeValueNamesFileLineKeyValueAndRange() throws {
        let e = try #require(error("name: x\nsegments:\n  - {activity: stand}\n  - {activity: walk, cadence_spm: 300}\n"))
        #expect(e.line == 4)
        #expect(e.key == "segments[1].cadence_spm")
        #expect(e.value == "300")
        #expect(e.description.hasPrefix("bad.yaml:4: segments[1].cadence_spm = 300: out of range; allowed 60…140"))
    }

    @Test func unknownKeyWrongTypeUnknownActivity() throws {
        let unknown = try #require(error("seed: 3\nsubject:\n  height_m: 1.8\n  shoe_size: 44\n"))
        #expect(unknown.line == 4 && unknown.key == "subject.shoe_size")
        #expect(unknown.description.contains("allowed here: height_m, mass_kg, knee_flex_scale"))

        let type = try #require(error("segments:\n  - activity: run\n    speed_mps: fast\n"))
        #expect(type.line == 3 && type.key == "segments[0].speed_mps" && type.value == "fast")

        let activity = try #require(error("segments:\n  - {activity: swim}\n"))
        #expect(activity.line == 2 && activity.description.contains("stair_descent"))

        let foreign = try #require(error("segments:\n  - {activity: stand, slope_deg: 3}\n"))
        #expect(foreign.key == "segments[0].slope_deg")

        let both = try #require(error("segments:\n  - {activity: walk, steps: 20, duration_s: 10}\n"))
        #expect(both.description.contains("not both"))
    }

    @Test func rigIsValidated() throws {
        let range = try #require(error("rig:\n  accel_range_g: 3\n"))
        #expect(range.line == 2 && range.key == "rig.accel_range_g" && range.description.contains("2 | 4 | 8 | 16"))
        let remap = try #require(error("rig:\n  axis_remap: \"x,y,-z\"\n"))
        #expect(remap.key == "rig.axis_remap" && remap.description.contains("mirror"))
        let chip = try #require(error("rig: {imu: bmi160}\n"))
        #expect(chip.description.contains("mpu6050 | mpu6500 | lsm6ds3 | lsm6dsox"))
        let syntax = try #require(error("segments:\n  - {activity: walk\n"))
        #expect(syntax.line != nil && syntax.description.contains("YAML syntax"))
    }

    @Test func rigParsesIntoTheDescription() throws {
        let s = try Scenario(
            yaml: """
                rig:
                  imu: lsm6dsox
                  knee_sensor: as5600
                  accel_range_g: 2
                  gyro: false
                  axis_remap: "-y,x,z"
                  mount_offset_deg: {roll: 25}
                  knee_drift_deg: 15
                """, source: "rig.yaml")
        #expect(s.rig.imu == .lsm6dsox && s.rig.kneeSensor == .as5600 && s.rig.accelRangeG == 2 && !s.rig.gyro)
        #expect(s.rig.axisRemap == (try AxisRemap(parsing: "-y,x,z")))
        #expect(s.rig.mountOffsetDeg.roll == 25 && s.rig.kneeDriftDeg == 15 && s.rig.gyroRangeDps == 2000)
        // A 25° roll about the shank axis turns forward into the sensor's y–z plane.
        let seen = s.rig.mountOffsetDeg.sensorAxes(fromFrame: Vector3(0, 1, 0))
        #expect(abs(seen.y - cos(25 * Double.pi / 180)) < 1e-12 && abs(seen.z + sin(25 * Double.pi / 180)) < 1e-12)
        #expect(s.name == "rig" && s.segments.count == 2)
    }

    @Test func defaultsAreDrawnFromTheSeedWithinTheirBands() throws {
        let a = try Scenario(yaml: "seed: 1\nsegments: [{activity: run}, {activity: stair_descent}]\n", source: "a")
        let b = try Scenario(yaml: "seed: 2\nsegments: [{activity: run}, {activity: stair_descent}]\n", source: "b")
        #expect(a.segments[0].cadencePerMin != b.segments[0].cadencePerMin)
        for s in [a, b] {
            #expect((160...182).contains(s.segments[0].cadencePerMin))
            #expect((0.31...0.38).contains(s.segments[0].stanceShare))
            #expect((10...16).contains(s.segments[1].steps))
            #expect((0.15...0.18).contains(s.segments[1].riserM))
        }
        // An explicit key does not move the other defaults.
        let c = try Scenario(yaml: "seed: 1\nsegments: [{activity: run, speed_mps: 5}, {activity: stair_descent}]\n", source: "c")
        #expect(c.segments[0].cadencePerMin == a.segments[0].cadencePerMin && c.segments[1] == a.segments[1])
    }

    static var scenarioDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("simulator/scenarios")
    }

    @Test func everyShippedFileParsesAndBuiltInsMatchTheirFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.scenarioDirectory.path)
            .filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 9)
        for file in files {
            let path = Self.scenarioDirectory.appendingPathComponent(file).path
            let scenario = try Scenario.load(path: path)
            #expect(scenario.name + ".yaml" == file)
        }
        for name in Scenario.builtInNames {
            let text = try String(
                contentsOf: Self.scenarioDirectory.appendingPathComponent("\(name).yaml"), encoding: .utf8)
            #expect(Scenario.builtInYAML[name] == text, "built-in \(name) differs from its file")
            _ = try Scenario.builtIn(named: name)
        }
        for required in ["mixed", "walk", "run", "stairs", "downhill-run", "squats", "cheap-rig"] {
            #expect(Scenario.builtInNames.contains(required))
        }
        #expect(throws: ScenarioError.self) { try Scenario.builtIn(named: "nope") }
        #expect(throws: ScenarioError.self) { try Scenario.load(path: "/nonexistent/x.yaml") }
    }

    @Test func builtInsVarySubjectsAndRigsAndCoverTheHardCases() throws {
        let all = try Scenario.builtInNames.map { try Scenario.builtIn(named: $0) }
        #expect(Set(all.map(\.subject.heightM)).count == all.count)
        #expect(Set(all.map(\.rig.imu)).count >= 3)
        let mixed = try Scenario.builtIn(named: "mixed")
        #expect(mixed.duration > 150 && mixed.duration < 230)
        let truth = GaitSynthesizer(scenario: mixed).truth()
        #expect(truth.counts.stairDescentFlights == 2)
        let cheap = try Scenario.builtIn(named: "cheap-rig")
        #expect(cheap.rig.accelRangeG == 2 && !cheap.rig.gyro && cheap.rig.kneeDriftDeg == 15)
        let runCadence = cheap.segments.filter { $0.activity == .run }.map(\.cadencePerMin).max()!
        let descents = cheap.segments.filter { $0.activity == .stairDescent }
        #expect(descents.contains { $0.cadencePerMin > runCadence })
        #expect(descents.contains { $0.kneePeakDeg < 55 })
    }
}
