/// What a segment of each activity may say, the allowed range of each number, and the band its default is
/// drawn from when the file leaves it out. Bands follow biomech.md §4–5 (cadence, knee ranges) and the brief
/// for this simulator (impact peaks, stance shares, stair geometry: risers 0.10–0.18 m per ABA 504.2).
struct SegmentRules: Sendable {
    struct NumberRule: Sendable {
        var key: String
        var allowed: ClosedRange<Double>
        var unit: String
        /// Drawn uniformly from this band when the key is absent (nil: derived from other values).
        var defaultBand: ClosedRange<Double>?
    }

    let activity: Activity
    let numbers: [NumberRule]
    /// Other keys (non-numeric or count keys) allowed for this activity.
    let otherKeys: [String]
    let defaultDurationS: Double?

    var allowedKeys: [String] { ["activity"] + numbers.map(\.key) + otherKeys }

    func rule(_ key: String) -> NumberRule? { numbers.first { $0.key == key } }

    static let durationRange: ClosedRange<Double> = 1...86_400

    static func rules(for activity: Activity) -> SegmentRules {
        typealias R = NumberRule
        let duration = R(key: "duration_s", allowed: durationRange, unit: "s", defaultBand: nil)
        switch activity {
        case .stand:
            return SegmentRules(activity: activity, numbers: [duration], otherKeys: [], defaultDurationS: 10)
        case .sit:
            return SegmentRules(
                activity: activity,
                numbers: [duration, R(key: "knee_deg", allowed: 60...130, unit: "°", defaultBand: 85...100)],
                otherKeys: [], defaultDurationS: 20)
        case .squat:
            return SegmentRules(
                activity: activity,
                numbers: [
                    duration, R(key: "rate_rpm", allowed: 5...40, unit: "reps/min", defaultBand: 12...28),
                    R(key: "knee_peak_deg", allowed: 30...140, unit: "°", defaultBand: 90...110),
                ],
                otherKeys: ["reps"], defaultDurationS: nil)
        case .cycle:
            // Cadence: recreational riders pedal at 60–90 rpm, trained ones at 80–100 (Lucía et al. 2001, Med
            // Sci Sports Exerc 33:1361, cadence in professional road racing; Marsh & Martin 1997, freely
            // chosen cadence of non-cyclists ~60–80 rpm). Knee at bottom dead centre: 25–40° for the usual
            // saddle heights (Bini, Hume & Croft 2011, Sports Med 41:463, saddle height review; Holmes et al.
            // 1994 recommend 25–35° static). Vibration: the brief's band for the shank of a rider on a road
            // or a trainer, a few hundredths to a few tenths of g.
            return SegmentRules(
                activity: activity,
                numbers: [
                    duration, R(key: "cadence_rpm", allowed: 30...130, unit: "rpm", defaultBand: 60...90),
                    R(key: "knee_bottom_deg", allowed: 20...60, unit: "°", defaultBand: 30...42),
                    R(key: "vibration_g", allowed: 0...1, unit: "g", defaultBand: 0.03...0.2),
                ],
                otherKeys: ["standing"], defaultDurationS: 120)
        case .walk:
            return SegmentRules(
                activity: activity,
                numbers: [
                    duration, R(key: "cadence_spm", allowed: 60...140, unit: "steps/min", defaultBand: 100...120),
                    R(key: "speed_mps", allowed: 0.4...2.5, unit: "m/s", defaultBand: nil),
                    R(key: "stance_share", allowed: 0.5...0.7, unit: "", defaultBand: 0.58...0.62),
                    R(key: "knee_contact_deg", allowed: 0...25, unit: "°", defaultBand: 5...12),
                    R(key: "knee_peak_deg", allowed: 5...40, unit: "°", defaultBand: 15...24),
                    R(key: "knee_swing_deg", allowed: 35...80, unit: "°", defaultBand: 55...66),
                    R(key: "impact_g", allowed: 0.5...6, unit: "g", defaultBand: 1.5...3),
                ],
                otherKeys: ["steps"], defaultDurationS: 60)
        case .run, .downhillRun:
            let downhill = activity == .downhillRun
            var numbers = [
                duration,
                R(key: "cadence_spm", allowed: 130...230, unit: "steps/min", defaultBand: downhill ? 158...180 : 160...182),
                R(key: "speed_mps", allowed: 1.5...7, unit: "m/s", defaultBand: downhill ? 2.8...3.8 : 2.6...3.8),
                R(key: "stance_share", allowed: 0.2...0.48, unit: "", defaultBand: downhill ? 0.33...0.40 : 0.31...0.38),
                R(key: "knee_contact_deg", allowed: 5...40, unit: "°", defaultBand: downhill ? 18...26 : 14...22),
                R(key: "knee_peak_deg", allowed: 25...85, unit: "°", defaultBand: downhill ? 50...62 : 42...50),
                R(key: "knee_swing_deg", allowed: 60...140, unit: "°", defaultBand: 90...122),
                R(key: "impact_g", allowed: 2...15, unit: "g", defaultBand: downhill ? 5...10 : 4...9),
            ]
            if downhill { numbers.append(R(key: "slope_deg", allowed: 1...15, unit: "°", defaultBand: 3...8)) }
            return SegmentRules(
                activity: activity, numbers: numbers, otherKeys: ["steps"], defaultDurationS: downhill ? 30 : 60)
        case .stairDescent:
            return SegmentRules(
                activity: activity,
                numbers: [
                    duration, R(key: "cadence_spm", allowed: 50...220, unit: "steps/min", defaultBand: 75...130),
                    R(key: "stance_share", allowed: 0.5...0.8, unit: "", defaultBand: 0.60...0.68),
                    R(key: "knee_contact_deg", allowed: 0...35, unit: "°", defaultBand: 5...20),
                    R(key: "knee_peak_deg", allowed: 30...120, unit: "°", defaultBand: 65...95),
                    R(key: "knee_swing_deg", allowed: 30...130, unit: "°", defaultBand: nil),
                    R(key: "riser_m", allowed: 0.08...0.22, unit: "m", defaultBand: 0.15...0.18),
                    R(key: "tread_m", allowed: 0.2...0.45, unit: "m", defaultBand: 0.26...0.31),
                    R(key: "impact_g", allowed: 1...8, unit: "g", defaultBand: 2...4.5),
                ],
                otherKeys: ["steps", "instrumented_leads"], defaultDurationS: nil)
        case .stairAscent:
            return SegmentRules(
                activity: activity,
                numbers: [
                    duration, R(key: "cadence_spm", allowed: 50...160, unit: "steps/min", defaultBand: 75...105),
                    R(key: "stance_share", allowed: 0.5...0.8, unit: "", defaultBand: 0.60...0.66),
                    R(key: "knee_contact_deg", allowed: 30...90, unit: "°", defaultBand: 52...66),
                    R(key: "knee_peak_deg", allowed: 60...130, unit: "°", defaultBand: 85...100),
                    R(key: "riser_m", allowed: 0.08...0.22, unit: "m", defaultBand: 0.15...0.18),
                    R(key: "tread_m", allowed: 0.2...0.45, unit: "m", defaultBand: 0.26...0.31),
                    R(key: "impact_g", allowed: 0.5...5, unit: "g", defaultBand: 1.2...2.5),
                ],
                otherKeys: ["steps", "instrumented_leads"], defaultDurationS: nil)
        }
    }

    /// Default number of stair steps (both legs) when a stairs segment gives neither steps nor a duration.
    static let defaultStairSteps: ClosedRange<Int> = 10...16
    static let defaultSquatReps: ClosedRange<Int> = 8...12
}
