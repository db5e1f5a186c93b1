/// Decides what kind of stride a step was, from its `StrideFeatures`. Every rule is a physical property
/// of the movement, not a cadence: people go down stairs as fast as they run.
public enum StrideClassifier {
    /// Running has a flight phase: stance shorter than 45 % of the stride (walking ~60 %, stairs 60–70 %,
    /// running 25–40 %; brief and biomech.md §3).
    static let runningDutyLimit = 0.45
    /// Knee extension before toe-off (°) that a running push-off shows (running ~20°, walking ~13°);
    /// stairs down show none.
    static let minimumPushOffDeg = 5.0
    /// Stair descent has no flight: each foot is down for more than half the stride (65–70 %, Beaulieu
    /// 2008). A "stance" shorter than half the stride means the contact was misplaced. (Measured stance is
    /// a few per cent short of the truth: contact found on its transient, toe-off as the shank turns.)
    static let descentMinimumDuty = 0.5
    /// Stair descent lands on a fairly straight knee (≤ ~25° in the literature, biomech.md §3; a little
    /// margin for the residual of the drift correction). Judged on the straightest knee near the detected
    /// contact, as is the flexion under load below, so the contact's timing jitter does not matter.
    static let descentContactKneeLimitDeg = 30.0
    /// ... then flexes under load by at least this much over the loaded stance (stair descent 40–80°;
    /// barely-bending descenders, stance peak 40–55° from up to 20° at contact, reach only ~17° by 80 % of
    /// the stance). Level walking's loading response (~15°) may come close, but walking fails the next two
    /// rules: its knee extends again after the loading response.
    static let descentLoadedFlexionDeg = 15.0
    /// ... and keeps flexing from 30 % to 80 % of the stance (lowering the body onto the step below, in
    /// single support; ≥ 13° even for barely-bending descenders, 0.55 of a 25° stance flexion), where level
    /// walking extends (mid-stance) or, with a late toe-off estimate, flexes only a little (≤ 12°) into its
    /// pre-swing, and running peaks and extends.
    static let descentLateFlexionDeg = 12.0
    /// ... without extending on the way through the loaded stance (to 80 % of it): lowering onto the lower
    /// step is one continuous flexion. Walking extends 10–15° after its loading peak (15–50 % of stance).
    /// The last fifth is left out: pushing the trailing foot off the step may straighten the knee a little.
    static let maximumDescentDipDeg = 6.0
    /// ... and flexes from its straightest point (the landing) for most of the stride: through the whole
    /// stance, 65–70 % of a stair-descent stride (Beaulieu 2008, biomech.md §3), and on into the swing
    /// (simulated descents: 0.64–0.83 of the stride, median 0.75, fast descenders lowest). Pedalling a
    /// bicycle bends the knee as far as stairs down, under load and without a push-off, but the crank
    /// flexes it for half of each revolution only (simulated 0.42–0.58, median 0.50). The limit sits half
    /// way between the pedalling median and the descent's stance share.
    static let descentMinimumKneeRiseShare = 0.575
    /// Within a run of descent strides (the previous stride was a candidate) the late-flexion rule asks for
    /// a little less: the wearer is most likely still on the stairs, and a barely-bending descender's stride
    /// can fall a degree short (late flexion 11.5° in a flight of 40° knee peaks), which broke the run and
    /// lost that step and the next. Level walking after a flight flexes ≤ ~6° there.
    static let continuingLateFlexionDeg = 10.0
    /// Stair ascent lands on a flexed knee (≥ ~40°) and extends under load.
    static let ascentContactKneeDeg = 40.0
    static let ascentExtensionDeg = 20.0
    /// Barometric veto: a stride whose smoothed pressure falls faster than this (Pa/s; −1.5 Pa/s is a climb
    /// of ~0.13 m/s, half of a slow stair climb at 11.8 Pa/m, biomech.md §3) is not a descent. Single strides
    /// are near the barometer's noise floor, so only a clear climb vetoes; level ground reads ~0.
    static let climbingPressureSlopePaPerS = -1.5

    /// The load-model mode and whether the stride is a stair-descent candidate (which `KneeLoadEngine` only
    /// accepts in runs of two or more).
    /// `continuingDescent`: the previous stride of the bout was a descent candidate.
    public static func classify(_ s: StrideFeatures, continuingDescent: Bool = false) -> (
        mode: GaitMode, descentCandidate: Bool
    ) {
        // A flight phase needs a push-off, and pushing off extends the knee before toe-off (running: from
        // ~45° at mid-stance to ~20°). A leg that keeps flexing into its swing (stairs down, however fast)
        // did not launch a flight, whatever the toe-off estimate says.
        if s.dutyFactor < runningDutyLimit && s.toeOffMeasured && s.pushOffDipDeg >= minimumPushOffDeg {
            return (.running, false)
        }
        if s.dutyFactor >= descentMinimumDuty && s.straightestKneeNearContactDeg <= descentContactKneeLimitDeg
            && s.loadedFlexionFromLandingDeg >= descentLoadedFlexionDeg
            && s.lateFlexionDeg >= (continuingDescent ? continuingLateFlexionDeg : descentLateFlexionDeg)
            && s.loadedDipDeg < maximumDescentDipDeg
            && (s.kneeRiseShare ?? 1) >= descentMinimumKneeRiseShare
        {
            if let slope = s.pressureSlopePaPerS, slope < climbingPressureSlopePaPerS {
                return (.walking, false)
            }
            return (.stairDescent, true)
        }
        if s.kneeAtContactDeg >= ascentContactKneeDeg
            && s.kneeAtContactDeg - s.stanceMinimumBeforePeakDeg >= ascentExtensionDeg
        {
            return (.stairAscent, false)
        }
        return (.walking, false)
    }

    /// The lowest knee flexion expected over a stride of this kind, which `KneeBaseline` compares with the
    /// measured minimum (biomech.md §5): walking ~5° at terminal swing / mid-stance (Perry); running's
    /// lowest point is just before contact, a little under its 17.8 ± 4° at contact (Heiderscheit 2011);
    /// stairs down 5–20° at contact; stairs up straightens to ~10° late in stance.
    public static func expectedMinimumKneeDeg(_ mode: GaitMode) -> Double {
        switch mode {
        case .walking: 4
        case .running: 15
        case .stairDescent: 8
        case .stairAscent: 10
        }
    }
}
