/// Exponentially weighted 7-day (acute) and 28-day (chronic) loads, Williams et al. 2017 as summarised in
/// biomech.md §2 "ACWR": λ = 2/(N + 1), so λ = 0.25 for N = 7 and 2/29 ≈ 0.069 for N = 28, and each day
/// EWMA_today = λ·load_today + (1 − λ)·EWMA_yesterday.
///
/// Decisions: both start at 0 on the first day of the history (so the ratio overstates for the first weeks;
/// `LoadAccumulator.daysOfHistory` tells the caller how much history there is). A day with no data is a day with
/// zero load, and is applied as such at the rollover that skips it. The acute:chronic ratio is advice only: the
/// research note records that its thresholds do not hold up (Impellizzeri 2020) and that Frandsen 2025 found a
/// negative dose-response.
public struct AcuteChronicLoad: Codable, Sendable, Equatable {
    public static let acuteDays = 7
    public static let chronicDays = 28
    public static let acuteLambda = 2.0 / Double(acuteDays + 1)
    public static let chronicLambda = 2.0 / Double(chronicDays + 1)
    /// Skipped days applied one by one up to this many; beyond it both EWMAs have underflowed to exactly 0
    /// ((1 − 2/29)^20000 is below the smallest double), so further days change nothing.
    static let maximumDecayDays = 20_000

    /// After the last completed day, in BW·s per day.
    public private(set) var acuteBWs: Double = 0
    public private(set) var chronicBWs: Double = 0

    public init() {}

    init(acuteBWs: Double, chronicBWs: Double) {
        self.acuteBWs = acuteBWs
        self.chronicBWs = chronicBWs
    }

    /// Closes one day with its load.
    mutating func closeDay(loadBWs: Double) {
        acuteBWs = Self.acuteLambda * loadBWs + (1 - Self.acuteLambda) * acuteBWs
        chronicBWs = Self.chronicLambda * loadBWs + (1 - Self.chronicLambda) * chronicBWs
    }

    /// Closes `count` days without data (zero load).
    mutating func closeEmptyDays(_ count: Int) {
        for _ in 0..<min(max(count, 0), Self.maximumDecayDays) {
            closeDay(loadBWs: 0)
        }
    }

    /// The values the EWMAs would take if the current day ended now with `todayLoadBWs`.
    func including(todayLoadBWs: Double) -> AcuteChronicLoad {
        var copy = self
        copy.closeDay(loadBWs: todayLoadBWs)
        return copy
    }
}
