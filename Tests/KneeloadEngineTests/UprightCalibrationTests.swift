import KneeloadCore
import KneeloadEngine
import Testing

@Suite struct UprightCalibrationTests {
    /// A strap 30° off: standing finds up, walking finds the lateral axis, and the sagittal rate of the
    /// misaligned sensor matches the true shank rate.
    @Test(arguments: [(30.0, 0.0, 0.0), (0, 25, 0), (10, -20, 35), (-35, 15, -25)])
    func recoversMountingFromStandingAndWalking(roll: Double, pitch: Double, yaw: Double) {
        let toSensor = Rotation3.rollPitchYaw(rollDeg: roll, pitchDeg: pitch, yawDeg: yaw).transposed
        var calibration = UprightCalibration()
        let gait = SyntheticGait(pattern: SyntheticGait.walking)
        var worst = 0.0
        for k in 0..<4000 {
            let t = Double(k) / 100
            let s = gait.sample(at: t, start: 3, gyro: true)
            calibration.update(accel: toSensor * s.accel, gyro: toSensor * s.gyro!, kneeDeg: s.kneeFlexDeg, dt: 0.01)
            if t > 25 {
                worst = max(worst, abs(calibration.sagittalRate(toSensor * s.gyro!) - s.gyro!.z))
            }
        }
        #expect(calibration.hasStandingReference)
        #expect(calibration.hasLateralEstimate)
        #expect((calibration.up - toSensor * Vector3(1, 0, 0)).norm < 0.02)
        #expect((calibration.lateral - toSensor * Vector3(0, 0, 1)).norm < 0.05)
        // Peak swing rate is ~350 °/s; the residual is a few per cent of it.
        #expect(worst < 15)
    }

    @Test func gyroBiasIsLearnedWhileStanding() {
        var calibration = UprightCalibration()
        for _ in 0..<300 {
            calibration.update(accel: Vector3(0.99, 0.02, -0.01), gyro: Vector3(1.5, -2, 3), kneeDeg: 2, dt: 0.01)
        }
        #expect(calibration.isQuietStanding)
        #expect((calibration.gyroBias - Vector3(1.5, -2, 3)).norm < 1e-9)
    }

    @Test func sittingIsNotStanding() {
        var calibration = UprightCalibration()
        for _ in 0..<300 {
            calibration.update(accel: Vector3(0.9, 0.3, 0.3), gyro: .zero, kneeDeg: 95, dt: 0.01)
        }
        #expect(!calibration.isQuietStanding)
        #expect(!calibration.hasStandingReference)
    }

    @Test func inclinationOfAQuietForwardLean() {
        var calibration = UprightCalibration()
        for _ in 0..<200 { calibration.update(accel: Vector3(1, 0, 0), gyro: .zero, kneeDeg: 1, dt: 0.01) }
        let phi = 35.0 * Double.pi / 180
        for _ in 0..<300 {
            calibration.update(accel: Vector3(cos(phi), -sin(phi), 0), gyro: .zero, kneeDeg: 80, dt: 0.01)
        }
        #expect(abs(calibration.inclinationDeg - 35) < 0.5)
        #expect(abs(calibration.signedInclinationDeg - 35) < 0.5)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
