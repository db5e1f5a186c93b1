import KneeloadCore

/// The true motion at one instant, before any sensor error: what a perfect shank IMU, knee sensor and
/// barometer would report.
public struct BodyState: Sendable, Hashable {
    public var time: Double
    /// Specific force at the sensor point in g, in the TRUE shank frame of CONTRACTS §1 (x up the shank,
    /// y forward, z to the left): standing upright reads (1, 0, 0).
    public var shankSpecificForce: Vector3
    /// Angular rate of the shank in °/s, shank frame, right-hand rule: the foot swinging forward is −z.
    public var shankAngularRate: Vector3
    /// Knee flexion, 0 = straight, positive flexed.
    public var kneeFlexDeg: Double
    /// Hip (pelvis) altitude above sea level.
    public var altitudeM: Double
    /// Static air pressure at that altitude, including any weather drift.
    public var pressurePa: Double
    /// What the runner is doing (the segment's activity; a contact belongs to the stride it starts).
    public var activity: Activity
    /// Sagittal inclination of the shank from vertical, positive when the knee is ahead of the ankle.
    public var shankInclinationDeg: Double
    /// True while the instrumented foot is on the ground.
    public var footOnGround: Bool
    /// Where the sensor is: metres forward, up and to the left of the start (for checks and plots).
    public var sensorPositionM: Vector3
}
