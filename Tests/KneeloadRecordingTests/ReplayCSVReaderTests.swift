import KneeloadCore
import KneeloadRecording
import Testing

@Suite struct ReplayCSVReaderTests {
    func read(_ text: String) throws(ReplayCSVError) -> (ReplayCSVReader, [SensorSample]) {
        var reader = try ReplayCSVReader(file: "run.csv", bytes: Array(text.utf8))
        var samples: [SensorSample] = []
        while let sample = try reader.next() { samples.append(sample) }
        return (reader, samples)
    }

    @Test func readsColumnsInAnyOrderAndIgnoresUnknownOnes() throws {
        let (reader, samples) = try read(
            """
            # recorded on the bench
            label,knee_flex_deg,az_g,t_s,ay_g,ax_g
            walk,12.5,0.01,0.00,-0.2,0.98
            walk,13,0.02,0.01,-0.25,1.01

            """)
        #expect(!reader.hasGyro)
        #expect(!reader.hasPressure)
        #expect(samples.count == 2)
        #expect(samples[1] == SensorSample(time: 0.01, accel: Vector3(1.01, -0.25, 0.02), gyro: nil, kneeFlexDeg: 13))
    }

    @Test func readsGyroAndPressureWhenPresent() throws {
        let (reader, samples) = try read(
            "t_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps,knee_flex_deg,pressure_pa\r\n0.5,1,0,0,1.5,-2,3e2,4,101325.25\r\n")
        #expect(reader.hasGyro && reader.hasPressure)
        #expect(samples == [SensorSample(time: 0.5, accel: Vector3(1, 0, 0), gyro: Vector3(1.5, -2, 300), kneeFlexDeg: 4, pressurePa: 101325.25)])
    }

    @Test func roundTripsTheWriterExactly() throws {
        var writer = ReplayCSVWriter(hasGyro: true, extraColumns: ["label"])
        var expected: [SensorSample] = []
        var g = SeededGenerator(seed: 5)
        for i in 0..<500 {
            func r(_ scale: Double) -> Double { (g.nextUnit() * 2 - 1) * scale }
            let s = SensorSample(time: Double(i) / 200, accel: Vector3(r(16), r(16), r(16)), gyro: Vector3(r(2000), r(2000), r(2000)), kneeFlexDeg: r(150))
            writer.append(s, extra: ["x"])
            // What the fixed decimals keep of it.
            func q(_ v: Double, _ d: Double) -> Double { (v * d).rounded(.toNearestOrAwayFromZero) / d }
            expected.append(SensorSample(
                time: q(s.time, 1e6), accel: Vector3(q(s.accel.x, 1e5), q(s.accel.y, 1e5), q(s.accel.z, 1e5)),
                gyro: Vector3(q(s.gyro!.x, 1e3), q(s.gyro!.y, 1e3), q(s.gyro!.z, 1e3)), kneeFlexDeg: q(s.kneeFlexDeg, 1e3)))
        }
        let (_, samples) = try read(String(decoding: writer.buffer, as: UTF8.self))
        #expect(samples == expected)
    }

    @Test func quotedColumnNamesAreRead() throws {
        // As R's write.csv writes it: every name quoted, and a first column of row names.
        let (reader, samples) = try read(
            "\"\",\"t_s\",\"ax_g\",\"ay_g\",\"az_g\", \"knee_flex_deg\",\"label\"\n\"1\",0.5,1,0,0,12,\"walk\"\n")
        #expect(!reader.hasGyro)
        #expect(samples == [SensorSample(time: 0.5, accel: Vector3(1, 0, 0), gyro: nil, kneeFlexDeg: 12)])
    }

    @Test func anEmptyFieldSaysSo() {
        let error = ReplayCSVError(file: "run.csv", line: 7, problem: .notANumber(column: "gx_dps", text: ""))
        #expect("\(error)" == "run.csv:7: gx_dps is empty (a rig without a gyro or barometer leaves its columns out)")
    }

    @Test func partialGyroColumnsAreIgnored() throws {
        let (reader, samples) = try read("t_s,ax_g,ay_g,az_g,gz_dps,knee_flex_deg\n0,1,0,0,5,3\n")
        #expect(!reader.hasGyro)
        #expect(samples[0].gyro == nil)
    }

    @Test(arguments: [
        ("", 1, ReplayCSVError.Problem.empty),
        ("# only a comment\n", 1, .empty),
        ("t_s,ax_g,ay_g,knee_flex_deg\n", 1, .missingColumns(["az_g"])),
        ("t_s,ax_g,ay_g,az_g,knee_flex_deg,t_s\n", 1, .duplicateColumn("t_s")),
        ("t_s,ax_g,ay_g,az_g,knee_flex_deg\n0,1,0,0\n", 2, .fieldCount(expected: 5, found: 4)),
        ("t_s,ax_g,ay_g,az_g,knee_flex_deg\n0,1,0,0,1,9\n", 2, .fieldCount(expected: 5, found: 6)),
        ("t_s,ax_g,ay_g,az_g,knee_flex_deg\n0,1,0,0,1\n# c\n1,x1,0,0,1\n", 4, .notANumber(column: "ax_g", text: "x1")),
        ("t_s,ax_g,ay_g,az_g,knee_flex_deg\n0,1,0,,1\n", 2, .notANumber(column: "az_g", text: "")),
        ("t_s,ax_g,ay_g,az_g,knee_flex_deg\n0,1,0,0,nan\n", 2, .notFinite(column: "knee_flex_deg", text: "nan")),
        ("t_s,ax_g,ay_g,az_g,knee_flex_deg\n0,inf,0,0,1\n", 2, .notFinite(column: "ax_g", text: "inf")),
        ("t_s,ax_g,ay_g,az_g,knee_flex_deg\n1,1,0,0,1\n1,1,0,0,1\n", 3, .timeNotIncreasing(previous: 1, current: 1)),
        ("t_s,ax_g,ay_g,az_g,knee_flex_deg\n1,1,0,0,1\n0.5,1,0,0,1\n", 3, .timeNotIncreasing(previous: 1, current: 0.5)),
        ("t_s,ax_g,ay_g,az_g,knee_flex_deg\n1,1e,0,0,1\n", 2, .notANumber(column: "ax_g", text: "1e")),
    ])
    func malformedInputNamesFileLineAndProblem(text: String, line: Int, problem: ReplayCSVError.Problem) {
        #expect(throws: ReplayCSVError(file: "run.csv", line: line, problem: problem)) { try read(text) }
    }

    @Test func rowsBeforeAnErrorAreKept() throws {
        var reader = try ReplayCSVReader(file: "f.csv", bytes: Array("t_s,ax_g,ay_g,az_g,knee_flex_deg\n0,1,0,0,1\n0.1,1,0,0,1\nbad\n".utf8))
        #expect(try reader.next() != nil)
        #expect(try reader.next() != nil)
        #expect(throws: ReplayCSVError.self) { try reader.next() }
        let message = "\(ReplayCSVError(file: "f.csv", line: 4, problem: .fieldCount(expected: 5, found: 1)))"
        #expect(message == "f.csv:4: expected 5 fields, found 1")
    }

    @Test func decimalParsingMatchesTheStandardLibrary() throws {
        var g = SeededGenerator(seed: 11)
        var text = "t_s,ax_g,ay_g,az_g,knee_flex_deg\n"
        var values: [Double] = []
        for i in 0..<2000 {
            let v = (g.nextUnit() * 2 - 1) * pow10(Int(g.next() % 12) - 6)
            values.append(v)
            text += "\(i),\(v),0,0,0\n"
        }
        let (_, samples) = try read(text)
        #expect(samples.map(\.accel.x) == values)
    }

    func pow10(_ e: Int) -> Double {
        var p = 1.0
        for _ in 0..<abs(e) { p *= 10 }
        return e < 0 ? 1 / p : p
    }
}
