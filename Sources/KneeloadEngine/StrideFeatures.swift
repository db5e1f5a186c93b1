/// What one stride of the instrumented leg looked like, measured around its stance (contact to toe-off).
/// Times in seconds, knee angles in degrees (baseline-corrected).
public struct StrideFeatures: Sendable, Hashable {
    public var contactIndex = 0
    public var contactTime = 0.0
    public var toeOffIndex = 0
    public var toeOffTime = 0.0
    /// Swing-to-swing period of this stride.
    public var periodS = 0.0
    public var stanceS: Double { toeOffTime - contactTime }
    public var dutyFactor: Double { periodS > 0 ? stanceS / periodS : 0 }
    /// Flight time per step (both legs): half the stride minus one stance; ≤ 0 means no flight.
    public var flightS: Double { periodS / 2 - stanceS }
    public var kneeAtContactDeg = 0.0
    /// The straightest knee within `StrideAnalyzer.contactKneeWindowS` of the detected contact: what the
    /// leg landed on, whatever the contact's timing jitter.
    public var straightestKneeNearContactDeg = 0.0
    public var stancePeakKneeDeg = 0.0
    /// When the stance peak comes, as a share of the stance (0 = contact, 1 = toe-off).
    public var stancePeakShare = 0.0
    /// Lowest knee between contact and the stance peak.
    public var stanceMinimumBeforePeakDeg = 0.0
    /// How far the knee extends again after its stance peak, before toe-off.
    public var extensionAfterPeakDeg = 0.0
    /// Lowest raw (uncorrected) knee reading over the stride, for the baseline.
    public var rawKneeMinimumDeg = 0.0
    /// Share of the stride (swing marker to swing marker) from the knee's lowest point to the next marker:
    /// how long the knee takes to flex from its straightest into the next swing, against the whole stride.
    /// Nil for a bout's last stride (no next marker).
    public var kneeRiseShare: Double?
    public var swingPeakKneeDeg = 0.0
    /// Largest 20 ms acceleration change near contact (g).
    public var impactG = 0.0
    /// Pressure change over the stride (Pa/s), when a barometer is fitted; nil otherwise.
    public var pressureSlopePaPerS: Double?
    /// Whether toe-off was measured (false: estimated at the end of a bout).
    public var toeOffMeasured = true

    /// Highest knee over the loaded part of the stance (contact to 80 % of it; the last fifth is push-off
    /// or unloading, where walking already flexes toward swing).
    public var loadedPeakKneeDeg = 0.0
    /// Knee at 30 % and at 80 % of the stance.
    public var kneeEarlyStanceDeg = 0.0
    public var kneeLateStanceDeg = 0.0
    /// The largest knee extension between contact and the swing peak (a walking mid-stance or running
    /// push-off), in degrees; near 0 when the knee keeps flexing into the swing, as on stairs down.
    public var pushOffDipDeg = 0.0
    /// The same, up to 80 % of the stance only: the loaded part, before the leg prepares to leave.
    public var loadedDipDeg = 0.0

    /// Flexion under load: the loaded peak above the knee at contact.
    public var loadedFlexionDeg: Double { loadedPeakKneeDeg - kneeAtContactDeg }
    /// The same from the straightest knee near contact (the landing's knee, for the stair-descent rule).
    public var loadedFlexionFromLandingDeg: Double { loadedPeakKneeDeg - straightestKneeNearContactDeg }
    /// How much the knee keeps flexing through mid to late stance (lowering the body onto a lower step).
    public var lateFlexionDeg: Double { kneeLateStanceDeg - kneeEarlyStanceDeg }

    public init() {}
}
