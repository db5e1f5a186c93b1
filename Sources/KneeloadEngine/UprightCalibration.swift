import KneeloadCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Learns how the IMU actually sits on the shank (straps end up 10–40° off their axes) so the engine can use
/// the sagittal angular rate and the shank's inclination in the CONTRACTS frame.
///
/// - Up (shank x): the gravity direction during quiet standing with the knee near straight (|a| ≈ 1 g, small
///   variation, gyro quiet), held ≥ 1 s. Until the wearer has stood still, the long-term mean of the
///   accelerometer over movement (gait averages to within a few degrees of the shank axis), and before that
///   the nominal +x.
/// - Lateral (shank z): with a gyro, the principal axis of angular rate perpendicular to up during movement
///   (gait rotates the shank almost purely in the sagittal plane), signed to lie on the same side as the
///   nominal z, because the misalignment is well under 90°. Without a gyro the yaw is not needed: the load
///   model uses the inclination's magnitude, which does not depend on it.
/// - Gyro bias: the mean angular rate during quiet standing.
public struct UprightCalibration: Sendable {
    /// |a| must be within this of 1 g to count as quiet (covers accelerometer bias and scale error).
    static let quietGravityToleranceG = 0.1
    /// RMS deviation of acceleration from its short mean below this (g) counts as quiet; gait is ≫ 0.1 g.
    static let quietVariationG = 0.03
    /// Angular rate below this (°/s, before bias removal) counts as quiet; covers gyro bias of a few °/s.
    static let quietRateDegPerS = 12.0
    /// Quiet must last this long before it is trusted as standing (brief: ≥ ~1 s).
    static let quietMinimumS = 1.0
    /// Knee (corrected) at most this flexed for standing; sitting reads ≥ 70°, so even with ±20° drift the two
    /// cannot be confused.
    static let standingKneeLimitDeg = 35.0
    /// A gravity direction further than this from nominal +x is not an upright shank (lying down, or a
    /// leg resting on something); the strap misalignment itself is at most ~40°.
    static let maximumTiltFromNominalDeg = 55.0
    /// Time constant of the short accelerometer mean used for quiet detection and inclination.
    static let shortMeanTimeConstantS = 0.25
    /// Time constant of the long accelerometer mean used as up before any standing is seen.
    static let gaitMeanTimeConstantS = 20.0
    /// Angular rate magnitude above which a sample informs the lateral axis (°/s): gait, not jitter.
    static let movementRateDegPerS = 60.0
    /// Memory of the angular-rate covariance, in seconds of movement.
    static let covarianceTimeConstantS = 30.0
    /// How often the lateral axis is re-derived from the covariance (s).
    static let lateralRefreshS = 0.5
    /// How often quiet standing re-derives up, the gyro bias and the lateral axis (s of quiet time), and
    /// once more when the stretch ends: they are means over ≥ `quietMinimumS`, which 0.1 s more of quiet
    /// data moves by at most a tenth of the quiet variation (< 0.03 g, so ≲ 0.2°), so refreshing them every
    /// sample bought nothing but trigonometry.
    static let standingRefreshS = 0.1

    public private(set) var up = Vector3(1, 0, 0)
    public private(set) var forward = Vector3(0, 1, 0)
    public private(set) var lateral = Vector3(0, 0, 1)
    public private(set) var gyroBias = Vector3.zero
    /// Whether `up` comes from quiet standing (true) or the movement mean / nominal axis (false).
    public private(set) var hasStandingReference = false
    public private(set) var hasLateralEstimate = false

    // Short mean of acceleration and its variation: four first-order low-pass filters (as `LowPassFilter`, the
    // first sample taken as is) with one time constant, always updated together, so they share one gain and
    // pay one exponential-cache check per sample instead of four.
    private var shortMeanGain = SmoothingGain(timeConstant: shortMeanTimeConstantS)
    private var shortMeansPrimed = false
    private var meanX = 0.0, meanY = 0.0, meanZ = 0.0
    private var variation = 1.0
    // Long mean over movement, and the current block's sums.
    private var gaitMean = Vector3(1, 0, 0)
    private var gaitSeconds = 0.0
    private var blockAccel = Vector3.zero
    private var blockSeconds = 0.0
    private var blockMovingSeconds = 0.0
    private var bxx = 0.0, bxy = 0.0, bxz = 0.0, byy = 0.0, byz = 0.0, bzz = 0.0
    static let cosineOfMaximumTilt = cos(maximumTiltFromNominalDeg * Double.pi / 180)
    /// A principal rate axis within 55° of the nominal lateral is taken as lateral (see `refreshLateral`).
    static let cosineOfLateralTolerance = cos(55 * Double.pi / 180)
    // Current quiet stretch: sums of acceleration and angular rate.
    private var quietSeconds = 0.0
    private var quietAccel = Vector3.zero
    private var quietGyro = Vector3.zero
    private var quietGyroSeen = false
    /// Quiet time of the current stretch when it was last adopted as the upright reference (0: not yet).
    private var quietSecondsAdopted = 0.0
    // Angular-rate covariance (upper triangle), exponentially forgetting over movement time.
    private var cxx = 0.0, cxy = 0.0, cxz = 0.0, cyy = 0.0, cyz = 0.0, czz = 0.0
    private var movementSeconds = 0.0

    public init() {}

    /// Whether the last sample was part of a quiet stretch long enough to be standing still.
    public private(set) var isQuietStanding = false

    /// Feeds one sample. `kneeDeg` is the baseline-corrected knee angle (used to tell standing from sitting).
    /// Inlined into the engine's per-sample path: the call and its optional gyro argument cost more than
    /// the common (moving, not quiet) path's arithmetic.
    @inline(__always)
    public mutating func update(accel a: Vector3, gyro: Vector3?, kneeDeg: Double, dt: Double) {
        let alpha = shortMeansPrimed ? shortMeanGain.alpha(dt: dt) : 1
        update(accel: a, gyro: gyro, dt: dt, shortMeanAlpha: alpha, kneeDeg: kneeDeg)
    }

    /// `update` with the short means' gain for `dt` computed by the caller (`SampleGains`), and the knee angle
    /// computed only if it is read: when the acceleration is steady enough for standing.
    @inline(__always)
    mutating func update(
        accel a: Vector3, gyro: Vector3?, dt: Double, shortMeanAlpha alpha: Double, kneeDeg: @autoclosure () -> Double
    ) {
        if shortMeansPrimed {
            meanX += alpha * (a.x - meanX)
            meanY += alpha * (a.y - meanY)
            meanZ += alpha * (a.z - meanZ)
            let dx = a.x - meanX, dy = a.y - meanY, dz = a.z - meanZ
            variation += alpha * (dx * dx + dy * dy + dz * dz - variation)
        } else {
            // The first sample is its own mean, with no deviation from it.
            meanX = a.x
            meanY = a.y
            meanZ = a.z
            variation = 0
            shortMeansPrimed = true
        }
        // Cheapest test first: moving (most samples) fails on the variation, without the square roots.
        let q = Self.quietVariationG
        var quiet = variation < q * q && abs(kneeDeg()) < Self.standingKneeLimitDeg
        if quiet {
            let meanNorm = (meanX * meanX + meanY * meanY + meanZ * meanZ).squareRoot()
            quiet = abs(meanNorm - 1) < Self.quietGravityToleranceG
        }
        if quiet, let w = gyro {
            quiet = w.norm < Self.quietRateDegPerS
        }
        if quiet {
            quietSeconds += dt
            quietAccel = quietAccel + a * dt
            if let w = gyro {
                quietGyro = quietGyro + w * dt
                quietGyroSeen = true
            }
            if quietSeconds >= Self.quietMinimumS {
                isQuietStanding = true
                if quietSecondsAdopted == 0 || quietSeconds - quietSecondsAdopted >= Self.standingRefreshS {
                    adoptStanding()
                }
            }
        } else {
            // The whole stretch, up to its last quiet sample, is the reference from here on.
            // Reset only a stretch that has begun: while moving, the state is already reset (quiet time only
            // grows, by positive intervals), and rewriting it every sample costs as much as the check.
            if quietSeconds != 0 {
                if isQuietStanding && quietSeconds > quietSecondsAdopted { adoptStanding() }
                quietSecondsAdopted = 0
                isQuietStanding = false
                quietSeconds = 0
                quietAccel = .zero
                quietGyro = .zero
                quietGyroSeen = false
            }
            trackMovement(accel: a, gyro: gyro, dt: dt)
        }
    }

    /// Takes the current quiet stretch as the upright reference (refreshed while the stretch lasts).
    private mutating func adoptStanding() {
        flushNegligibleMeans()
        quietSecondsAdopted = quietSeconds
        let g = quietAccel * (1 / quietSeconds)
        guard g.norm > 0.5, angleDeg(g, Vector3(1, 0, 0)) < Self.maximumTiltFromNominalDeg else { return }
        up = g * (1 / g.norm)
        hasStandingReference = true
        if quietGyroSeen { gyroBias = quietGyro * (1 / quietSeconds) }
        refreshLateral()
    }

    /// Movement statistics are summed over blocks of `lateralRefreshS` and folded into the long-term means
    /// once per block: the same result as a per-sample exponential filter at this time scale, at a fraction of
    /// the per-sample cost.
    @inline(__always)
    private mutating func trackMovement(accel a: Vector3, gyro: Vector3?, dt: Double) {
        blockAccel = blockAccel + a * dt
        blockSeconds += dt
        if let raw = gyro {
            let w = raw - gyroBias
            if w.x * w.x + w.y * w.y + w.z * w.z > Self.movementRateDegPerS * Self.movementRateDegPerS {
                bxx += w.x * w.x * dt
                bxy += w.x * w.y * dt
                bxz += w.x * w.z * dt
                byy += w.y * w.y * dt
                byz += w.y * w.z * dt
                bzz += w.z * w.z * dt
                blockMovingSeconds += dt
            }
        }
        if blockSeconds >= Self.lateralRefreshS { foldBlock() }
    }

    private mutating func foldBlock() {
        flushNegligibleMeans()
        let mean = blockAccel * (1 / blockSeconds)
        let gaitAlpha = SmoothingGain.exact(dt: blockSeconds, timeConstant: Self.gaitMeanTimeConstantS)
        gaitMean = gaitSeconds == 0 ? mean : gaitMean + (mean - gaitMean) * gaitAlpha
        gaitSeconds += blockSeconds
        if !hasStandingReference && gaitSeconds > 5 {
            let n = gaitMean.norm
            // Within the plausible tilt of nominal +x: cos of the angle to (1, 0, 0) is g.x / |g|.
            if n > 0.5, gaitMean.x > n * Self.cosineOfMaximumTilt {
                up = gaitMean * (1 / n)
            }
        }
        if blockMovingSeconds > 0 {
            let alpha = SmoothingGain.exact(dt: blockMovingSeconds, timeConstant: Self.covarianceTimeConstantS)
            let k = 1 / blockMovingSeconds
            cxx += alpha * (bxx * k - cxx)
            cxy += alpha * (bxy * k - cxy)
            cxz += alpha * (bxz * k - cxz)
            cyy += alpha * (byy * k - cyy)
            cyz += alpha * (byz * k - cyz)
            czz += alpha * (bzz * k - czz)
            movementSeconds += blockMovingSeconds
        }
        refreshLateral()
        blockAccel = .zero
        blockSeconds = 0
        blockMovingSeconds = 0
        bxx = 0; bxy = 0; bxz = 0; byy = 0; byz = 0; bzz = 0
    }

    /// The short means follow an axis that reads exactly 0 (a dead axis, a perfectly level one) into
    /// subnormal numbers; flushed at every refresh (standing or moving, one comes every few seconds), which
    /// stops that for good since a flushed mean stays 0.
    private mutating func flushNegligibleMeans() {
        meanX = meanX.flushedIfNegligible
        meanY = meanY.flushedIfNegligible
        meanZ = meanZ.flushedIfNegligible
        variation = variation.flushedIfNegligible
    }

    /// Re-derives lateral and forward from the covariance, projected onto the plane perpendicular to up.
    private mutating func refreshLateral() {
        // Basis of the plane: e1 near nominal forward, e2 = up × e1 near nominal lateral.
        var e1 = Vector3(0, 1, 0) - up * up.y
        if e1.norm < 1e-6 { e1 = Vector3(0, 0, 1) - up * up.z }
        e1 = e1 * (1 / e1.norm)
        let e2 = up.cross(e1)
        var chosen = e2
        if movementSeconds >= 2 {
            let c11 = quadratic(e1, e1), c22 = quadratic(e2, e2), c12 = quadratic(e1, e2)
            let angle = 0.5 * atan2(2 * c12, c11 - c22)
            var axis = e1 * cos(angle) + e2 * sin(angle)
            // The principal axis from atan2 is the larger-variance one; gait's is lateral, so it should be
            // near e2. If it is nearer e1 the data are not gait-like yet: keep the previous axis.
            if abs(axis.dot(e2)) >= Self.cosineOfLateralTolerance {
                if axis.dot(e2) < 0 { axis = -axis }
                chosen = axis
                hasLateralEstimate = true
            } else if hasLateralEstimate {
                chosen = lateral - up * up.dot(lateral)
                chosen = chosen * (1 / Swift.max(chosen.norm, 1e-9))
            }
        } else if hasLateralEstimate {
            chosen = lateral - up * up.dot(lateral)
            chosen = chosen * (1 / Swift.max(chosen.norm, 1e-9))
        }
        lateral = chosen
        forward = lateral.cross(up)
    }

    private func quadratic(_ a: Vector3, _ b: Vector3) -> Double {
        a.x * (cxx * b.x + cxy * b.y + cxz * b.z) + a.y * (cxy * b.x + cyy * b.y + cyz * b.z)
            + a.z * (cxz * b.x + cyz * b.y + czz * b.z)
    }

    /// The rotation taking sensor coordinates into the shank frame (rows: up, forward, lateral).
    public var rotation: Rotation3 { Rotation3(rows: up, forward, lateral) }

    /// Sagittal angular rate (°/s about shank z), bias removed.
    @inlinable public func sagittalRate(_ gyro: Vector3) -> Double {
        (gyro - gyroBias).dot(lateral)
    }

    /// Shank inclination from vertical (degrees, ≥ 0) from the short mean of acceleration: valid when the
    /// shank moves slowly (standing, squatting), not during gait.
    public var inclinationDeg: Double {
        let m = Vector3(meanX, meanY, meanZ)
        guard m.norm > 0.3 else { return 0 }
        return angleDeg(m, up)
    }

    /// The inclination the quasi-static load uses (`signedInclinationDeg` once lateral is known, else
    /// `inclinationDeg`) as a direction instead of an angle: φ = atan2(across, along), with across ≥ 0 when
    /// `mayLeanForward`. The load needs only sin φ and a comparison of φ with the knee angle, which the
    /// direction gives without the arctangent (~110 instructions a sample of standing or squatting).
    @inline(__always)
    public var inclinationDirection: (along: Double, across: Double) {
        let m = Vector3(meanX, meanY, meanZ)
        if hasLateralEstimate { return (m.dot(up), -m.dot(forward)) }
        // As `inclinationDeg`: the angle between the mean and up (unit length), 0 for a mean too small.
        guard m.norm > 0.3 else { return (1, 0) }
        return (m.dot(up), m.cross(up).norm)
    }

    /// False when `signedInclinationDeg` is certainly negative (the shank leans back), found without its
    /// arctangent: atan2(y, x) is negative for y < 0. Without a lateral estimate the inclination used is the
    /// unsigned one, which is never negative.
    @inline(__always)
    public var mayLeanForward: Bool {
        guard hasLateralEstimate else { return true }
        return -Vector3(meanX, meanY, meanZ).dot(forward) >= 0
    }

    /// Signed sagittal inclination (degrees, positive = top of the shank ahead of the ankle): specific force
    /// ≈ (cos φ, −sin φ, 0), so φ = atan2(−a·forward, a·up). Meaningful only once lateral is known.
    public var signedInclinationDeg: Double {
        let m = Vector3(meanX, meanY, meanZ)
        return atan2(-m.dot(forward), m.dot(up)) * 180 / .pi
    }
}

// In this file: the learned state is private to the learner.
extension UprightCalibration {
    /// Starts from a saved calibration (`EngineCalibration`, checked with `problem` first): the pose, the
    /// gyro bias and the movement statistics behind the lateral axis; a quiet stretch starts anew.
    init(restoring saved: EngineCalibration) {
        self.init()
        up = saved.up
        hasStandingReference = saved.upFromStanding
        lateral = saved.lateral
        hasLateralEstimate = saved.lateralLearned
        forward = lateral.cross(up)
        gyroBias = saved.gyroBias
        gaitMean = saved.gaitMeanAccel
        gaitSeconds = saved.gaitSeconds
        let c = saved.rateCovariance
        (cxx, cxy, cxz, cyy, cyz, czz) = (c[0], c[1], c[2], c[3], c[4], c[5])
        movementSeconds = saved.movementSeconds
    }

    /// The part of `EngineCalibration` this learner holds; the knee fields are left for `KneeBaseline`.
    func save(into calibration: inout EngineCalibration) {
        calibration.up = up
        calibration.upFromStanding = hasStandingReference
        calibration.lateral = lateral
        calibration.lateralLearned = hasLateralEstimate
        calibration.gyroBias = gyroBias
        calibration.gaitMeanAccel = gaitMean
        calibration.gaitSeconds = gaitSeconds
        calibration.rateCovariance = [cxx, cxy, cxz, cyy, cyz, czz]
        calibration.movementSeconds = movementSeconds
    }
}

func angleDeg(_ a: Vector3, _ b: Vector3) -> Double {
    let c = a.dot(b) / Swift.max(a.norm * b.norm, 1e-12)
    return acos(Swift.min(Swift.max(c, -1), 1)) * 180 / .pi
}
