import KneeloadCore
import KneeloadRecording
import Testing

@Suite struct ReplayCSVWriterTests {
    @Test func writesHeaderAndFixedDecimalRows() {
        var writer = ReplayCSVWriter(hasGyro: true, extraColumns: ["label"], comments: ["scenario: walk"])
        writer.append(
            SensorSample(time: 0.005, accel: Vector3(1, -0.000004, 0.5), gyro: Vector3(12.3456, 0, -1), kneeFlexDeg: 45.5),
            extra: ["walk"])
        let text = String(decoding: writer.buffer, as: UTF8.self)
        #expect(
            text == """
                # scenario: walk
                t_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps,knee_flex_deg,label
                0.005000,1.00000,0.00000,0.50000,12.346,0.000,-1.000,45.500,walk

                """)
    }

    @Test func withoutGyroTheGyroColumnsAreAbsent() {
        var writer = ReplayCSVWriter(hasGyro: false, hasPressure: true)
        writer.append(SensorSample(time: 1, accel: Vector3(-1.25, 0, 0), gyro: nil, kneeFlexDeg: -3.0004, pressurePa: 101325.456))
        let lines = String(decoding: writer.takeBytes(), as: UTF8.self).split(separator: "\n")
        #expect(lines == ["t_s,ax_g,ay_g,az_g,knee_flex_deg,pressure_pa", "1.000000,-1.25000,0.00000,0.00000,-3.000,101325.46"])
        #expect(writer.buffer.isEmpty)
        #expect(writer.rows == 1)
    }

    @Test func fixedPointRoundsHalfAwayFromZero() {
        func text(_ v: Double, _ d: Int) -> String {
            var b: [UInt8] = []
            FixedPointText.append(v, decimals: d, to: &b)
            return String(decoding: b, as: UTF8.self)
        }
        #expect(text(0.125, 2) == "0.13")
        #expect(text(-0.125, 2) == "-0.13")
        #expect(text(-0.0001, 3) == "0.000")
        #expect(text(1234567.5, 0) == "1234568")
        #expect(text(0, 0) == "0")
        #expect(text(.nan, 3) == "nan")
    }

    @Test func extraTextCannotBreakTheRow() {
        var writer = ReplayCSVWriter(hasGyro: false, extraColumns: ["label"])
        writer.append(SensorSample(time: 0, accel: .zero, gyro: nil, kneeFlexDeg: 0), extra: ["a,b\nc"])
        #expect(String(decoding: writer.buffer, as: UTF8.self).hasSuffix(",a b c\n"))
    }
}
