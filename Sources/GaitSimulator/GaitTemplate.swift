/// One keyframe of a cycle: where in the cycle it sits, and the knee and shank (or thigh) angle there.
struct TemplateKnot: Sendable, Hashable {
    /// True: `fraction` is a fraction of stance (0 = contact, 1 = toe-off); false: a fraction of swing.
    /// Static cycles (stand, sit, squat) use stance fractions of a cycle that is all stance.
    var inStance: Bool
    var fraction: Double
    var kneeDeg: Double
    /// Shank inclination, or nil when the keyframe fixes the thigh instead (swing keyframes do: the thigh
    /// is what the hip drives, and the shank then follows from the knee).
    var shankDeg: Double?
    var thighDeg: Double?

    var resolvedShankDeg: Double { shankDeg ?? (kneeDeg - (thighDeg ?? 0)) }
}

/// The shape of one gait stride after stride-to-stride variation: stance share, knee amplitudes and foot
/// rockers. Angles in degrees.
struct StrideShape: Sendable, Hashable {
    var activity: Activity
    var stanceShare: Double
    var kneeContactDeg: Double
    var kneePeakDeg: Double
    var kneeSwingDeg: Double
    /// Foot pitch at contact: + forefoot first (heel up), − heel strike (toe up).
    var footPitchContactDeg: Double
    /// Stance fraction by which the foot is flat after contact.
    var footFlatBy: Double
    /// Heel rise (push-off) at toe-off.
    var footPitchToeOffDeg: Double
    /// Stance fraction at which the heel starts to rise.
    var heelOffFrom: Double
    /// Per-stride tilt added to all shank keyframes (stride-to-stride posture noise).
    var shankOffsetDeg: Double
    /// What share of the stride's forward travel happens while this foot is down (1 for level gait at steady
    /// speed; less on stairs, where the pelvis moves on mostly while the other foot lands).
    var stanceTravelShare: Double

    /// Eight keyframes per stride, from published joint-angle curves scaled to this stride's amplitudes.
    ///
    /// Sources for the shapes: walking — Perry & Burnfield, Gait Analysis (knee ~5–10° at contact, ~20°
    /// loading peak at ~15 % cycle, ~60° swing peak at ~73 %); running — Novacheck 1998 and Heiderscheit 2011
    /// (contact ~18°, stance peak ~46° mid-stance, swing 90–125°); stair descent — McFadyen & Winter 1988,
    /// Riener 2002 (forefoot contact, knee 5–25° at contact, flexing under load to its peak near toe-off);
    /// stair ascent — same sources (contact ~60°, extension through stance). Shank values are our reading of
    /// the same figures (shank = knee − thigh); they are then adjusted so the foot stays planted (see
    /// `GaitPlanner`).
    var knots: [TemplateKnot] {
        let c = kneeContactDeg, p = kneePeakDeg, w = kneeSwingDeg, o = shankOffsetDeg
        func stance(_ f: Double, _ knee: Double, shank: Double) -> TemplateKnot {
            TemplateKnot(inStance: true, fraction: f, kneeDeg: knee, shankDeg: shank + o, thighDeg: nil)
        }
        func swing(_ f: Double, _ knee: Double, thigh: Double) -> TemplateKnot {
            TemplateKnot(inStance: false, fraction: f, kneeDeg: knee, shankDeg: nil, thighDeg: thigh - o)
        }
        switch activity {
        case .walk:
            return [
                stance(0, c, shank: -12), stance(0.25, p, shank: -3), stance(0.5, 0.55 * p, shank: 7),
                stance(0.75, 0.35 * p, shank: 22), stance(1, 0.63 * w, shank: 48),
                swing(0.3, w, thigh: 20), swing(0.6, 0.47 * w, thigh: 26), swing(0.85, max(0, c - 3), thigh: 26),
            ]
        case .run, .downhillRun:
            return [
                stance(0, c, shank: -6), stance(0.25, c + 0.7 * (p - c), shank: 6), stance(0.5, p, shank: 20),
                stance(0.75, c + 0.7 * (p - c), shank: 33), stance(1, 0.5 * p, shank: 45),
                swing(0.3, 0.64 * w, thigh: 2), swing(0.6, w, thigh: 30), swing(0.85, 0.27 * w, thigh: 42),
            ]
        case .stairDescent:
            return [
                stance(0, c, shank: -4), stance(0.2, c + 0.15 * (p - c), shank: 0),
                stance(0.5, c + 0.5 * (p - c), shank: 14), stance(0.8, c + 0.85 * (p - c), shank: 28),
                stance(1, p, shank: 38),
                // The thigh comes forward from where toe-off left it (p − 38°: far back when the knee barely
                // bends) rather than jumping to a fixed angle, which at fast cadences swung the shank at
                // thousands of °/s² just after toe-off.
                swing(0.25, w, thigh: (p - 38 + 42) / 2), swing(0.55, 0.52 * w, thigh: (p - 38 + 38) / 2),
                swing(0.85, max(0, c - 3), thigh: min(22, c + 10)),
            ]
        case .stairAscent:
            // For ascent the peak is the swing flexion that clears the step; `w` is unused.
            return [
                stance(0, c, shank: 12), stance(0.25, 0.72 * c, shank: 14), stance(0.5, 0.3 * c + 3, shank: 10),
                stance(0.75, 12, shank: 12), stance(1, 30, shank: 28),
                swing(0.3, 0.85 * p, thigh: 25), swing(0.6, p, thigh: 52), swing(0.85, c + 8, thigh: 52),
            ]
        case .stand, .sit, .squat, .cycle:
            preconditionFailure("static activities and cycling have no stride template")
        }
    }
}

/// A still posture: standing or sitting, with the foot flat.
struct Pose: Sendable, Hashable {
    var kneeDeg: Double
    var shankDeg: Double
}
