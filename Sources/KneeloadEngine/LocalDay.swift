/// A local calendar day, counted in days since 1970-01-01 in the runner's local time.
///
/// Daily load totals and the 7/28-day EWMAs of shared/research/biomech.md §2 ("ACWR") are kept per local day,
/// so the day a load belongs to must not depend on the UTC offset of the machine replaying a recording.
public struct LocalDay: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (local), negative before it.
    public var daysSince1970: Int

    public init(daysSince1970: Int) {
        self.daysSince1970 = daysSince1970
    }

    /// The day of a proleptic Gregorian calendar date; `nil` when the month or day is out of range.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Self.daysInMonth(year: year, month: month) else {
            return nil
        }
        // days_from_civil, Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms".
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        daysSince1970 = era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date (proleptic Gregorian) of this day.
    public var date: (year: Int, month: Int, day: Int) {
        // civil_from_days, Howard Hinnant (same source as init(year:month:day:)).
        let z = daysSince1970 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (year, month, day) = date
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: LocalDay, rhs: LocalDay) -> Bool {
        lhs.daysSince1970 < rhs.daysSince1970
    }

    /// The day `count` days later (earlier when negative).
    public func advanced(by count: Int) -> LocalDay {
        LocalDay(daysSince1970: daysSince1970 + count)
    }

    /// Whole days from `self` to `other`.
    public func distance(to other: LocalDay) -> Int {
        other.daysSince1970 - daysSince1970
    }

    private static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
