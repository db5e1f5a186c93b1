import KneeloadCore

/// What the engine has learned about how the sensors sit on this leg: the IMU's upright pose and lateral
/// axis (`UprightCalibration`) and the knee sensor's zero drift (`KneeBaseline`). The daemon saves it with each
/// checkpoint and hands it back after a restart within the same session, so a crash or watchdog restart
/// mid-run does not cost the strides it takes to learn them again (strides measured with the nominal axes
/// and an unknown knee zero until then).
///
/// A stable, explicit layout rather than the learners' internals: short-term state (the quiet stretch under
/// way, filter memories) is not kept and rebuilds within a second of data. Times are on the engine clock of
/// the run that saved it.
public struct EngineCalibration: Codable, Sendable, Equatable {
    /// Shank up (sensor coordinates, unit length), and whether it came from quiet standing.
    public var up: Vector3
    public var upFromStanding: Bool
    /// Shank lateral axis (unit, perpendicular to up), and whether it was learned from gait.
    public var lateral: Vector3
    public var lateralLearned: Bool
    /// Gyro bias (°/s) measured while standing.
    public var gyroBias: Vector3
    /// The long-term mean of acceleration over movement (g) and the seconds of movement behind it.
    public var gaitMeanAccel: Vector3
    public var gaitSeconds: Double
    /// Angular-rate covariance over movement ((°/s)², upper triangle: xx, xy, xz, yy, yz, zz) and the seconds
    /// of movement behind it.
    public var rateCovariance: [Double]
    public var movementSeconds: Double
    /// The knee sensor's zero offset (°), its drift rate (°/s), when it was last measured, and how often.
    public var kneeOffsetDeg: Double
    public var kneeOffsetRateDegPerS: Double
    public var kneeOffsetUpdatedT: Double?
    public var kneeOffsetMeasurements: Int

    /// Nothing learned: the nominal CONTRACTS §1 axes and no knee offset, as a new engine starts.
    public static let unlearned = EngineCalibration(
        up: Vector3(1, 0, 0), upFromStanding: false, lateral: Vector3(0, 0, 1), lateralLearned: false,
        gyroBias: .zero, gaitMeanAccel: Vector3(1, 0, 0), gaitSeconds: 0, rateCovariance: Array(repeating: 0, count: 6),
        movementSeconds: 0, kneeOffsetDeg: 0, kneeOffsetRateDegPerS: 0, kneeOffsetUpdatedT: nil,
        kneeOffsetMeasurements: 0)

    /// What makes this calibration unusable (it may come from a file), or nil when it can be restored.
    public var problem: String? {
        let vectors = [("up", up), ("lateral", lateral), ("gyroBias", gyroBias), ("gaitMeanAccel", gaitMeanAccel)]
        for (name, v) in vectors where !(v.x.isFinite && v.y.isFinite && v.z.isFinite) {
            return "\(name) \(v) is not finite"
        }
        for (name, v) in [("up", up), ("lateral", lateral)] where abs(v.norm - 1) > 1e-3 {
            return "\(name) \(v) is not a unit vector"
        }
        if abs(up.dot(lateral)) > 1e-3 { return "lateral \(lateral) is not perpendicular to up \(up)" }
        if up.x < UprightCalibration.cosineOfMaximumTilt {
            return "up \(up) is more than \(UprightCalibration.maximumTiltFromNominalDeg)° from the sensor's +x"
        }
        guard rateCovariance.count == 6, rateCovariance.allSatisfy(\.isFinite) else {
            return "rateCovariance must hold 6 finite numbers"
        }
        let times: [(String, Double)] = [("gaitSeconds", gaitSeconds), ("movementSeconds", movementSeconds)]
        for (name, value) in times where !(value.isFinite && value >= 0) { return "\(name) \(value) is not ≥ 0" }
        guard abs(kneeOffsetDeg) <= KneeBaseline.offsetLimitDeg else {
            return "kneeOffsetDeg \(kneeOffsetDeg) is beyond ±\(KneeBaseline.offsetLimitDeg)°"
        }
        guard abs(kneeOffsetRateDegPerS) <= KneeBaseline.rateLimitDegPerS else {
            return "kneeOffsetRateDegPerS \(kneeOffsetRateDegPerS) is beyond ±\(KneeBaseline.rateLimitDegPerS)°/s"
        }
        if let t = kneeOffsetUpdatedT, !t.isFinite { return "kneeOffsetUpdatedT is not finite" }
        guard kneeOffsetMeasurements >= 0 else { return "kneeOffsetMeasurements \(kneeOffsetMeasurements) is negative" }
        return nil
    }
}
