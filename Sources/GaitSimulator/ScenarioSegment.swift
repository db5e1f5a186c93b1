/// One stretch of activity, with every parameter resolved: values the file gave, and defaults drawn from the
/// scenario seed for the rest. Fields that do not apply to the activity hold a neutral value (0).
public struct ScenarioSegment: Sendable, Hashable {
    public var activity: Activity
    /// How long the segment lasts.
    public var durationS: Double
    /// Strides of the instrumented leg (gaits), repetitions (squat) or crank revolutions (cycle); 0 for stand
    /// and sit.
    public var cycles: Int
    /// Steps of both legs (gaits; for stairs, the number of risers gone down or up).
    public var steps: Int
    /// Steps per minute of both legs (gaits), repetitions per minute (squat) or crank revolutions per minute
    /// (cycle).
    public var cadencePerMin: Double
    /// Forward speed (level and downhill gaits).
    public var speedMPS: Double
    /// Share of the stride the instrumented foot is on the ground.
    public var stanceShare: Double
    /// Knee flexion at foot contact.
    public var kneeContactDeg: Double
    /// Stance peak (walk, run, downhill run, stair descent), deepest flexion (squat), swing peak (stair
    /// ascent), sitting angle (sit).
    public var kneePeakDeg: Double
    /// Swing-phase peak (walk, run, downhill run, stair descent).
    public var kneeSwingDeg: Double
    public var riserM: Double
    public var treadM: Double
    public var slopeDeg: Double
    /// Stairs: the instrumented leg takes the first step.
    public var instrumentedLegLeads: Bool
    /// Typical peak of the contact transient at the shank, g.
    public var impactG: Double
    /// Cycling: knee flexion with the pedal at bottom dead centre (how high the saddle is).
    public var kneeBottomDeg: Double
    /// Cycling: out of the saddle, standing on the pedals.
    public var standing: Bool
    /// Cycling: peak of the road or trainer vibration at the shank, g.
    public var vibrationG: Double
    /// Where the segment was written (0 when built in code).
    public var line: Int

    public init(
        activity: Activity, durationS: Double, cycles: Int = 0, steps: Int = 0, cadencePerMin: Double = 0,
        speedMPS: Double = 0, stanceShare: Double = 1, kneeContactDeg: Double = 0, kneePeakDeg: Double = 0,
        kneeSwingDeg: Double = 0, riserM: Double = 0, treadM: Double = 0, slopeDeg: Double = 0,
        instrumentedLegLeads: Bool = true, impactG: Double = 0, kneeBottomDeg: Double = 0, standing: Bool = false,
        vibrationG: Double = 0, line: Int = 0
    ) {
        self.activity = activity
        self.durationS = durationS
        self.cycles = cycles
        self.steps = steps
        self.cadencePerMin = cadencePerMin
        self.speedMPS = speedMPS
        self.stanceShare = stanceShare
        self.kneeContactDeg = kneeContactDeg
        self.kneePeakDeg = kneePeakDeg
        self.kneeSwingDeg = kneeSwingDeg
        self.riserM = riserM
        self.treadM = treadM
        self.slopeDeg = slopeDeg
        self.instrumentedLegLeads = instrumentedLegLeads
        self.impactG = impactG
        self.kneeBottomDeg = kneeBottomDeg
        self.standing = standing
        self.vibrationG = vibrationG
        self.line = line
    }
}
