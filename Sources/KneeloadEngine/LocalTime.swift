/// Ties engine time (seconds from the start of the engine's clock) to the runner's local calendar, so that loads
/// can be summed per local day (biomech.md §2 "ACWR": acute and chronic loads are per-day quantities).
///
/// The UTC offset is fixed for the life of one engine clock: a daylight-saving change during a session is not
/// followed (local days stay 24 h long, shifted by the old offset until the next restart). The daemon restarts
/// sessions at least daily, and `LoadAccumulator.init(continuing:localTime:)` picks up the new offset then.
/// No clock is read here: the caller supplies the wall-clock time once, so replays stay deterministic.
public struct LocalTime: Codable, Sendable, Equatable {
    /// Wall-clock time (Unix epoch seconds, UTC) at engine time t = 0.
    public let epochSecondsAtStart: Double
    /// Local time minus UTC, in seconds (for example +3600 for CET, −18000 for EST).
    public let utcOffsetSeconds: Int

    /// Offsets allowed: ±18 h, wider than any real zone (−12 h … +14 h).
    public static let utcOffsetRange = -64_800...64_800
    /// Wall-clock times allowed: ±1e11 s (about ±3000 years around 1970), so day arithmetic stays exact.
    public static let epochSecondsLimit = 1e11

    /// Time zero at the Unix epoch, in UTC: what a replay without wall-clock information uses, so its days are
    /// the same on every machine.
    public static let unixEpochUTC = LocalTime(validated: 0, 0)

    private init(validated epochSecondsAtStart: Double, _ utcOffsetSeconds: Int) {
        self.epochSecondsAtStart = epochSecondsAtStart
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    public init(epochSecondsAtStart: Double, utcOffsetSeconds: Int) throws(LoadAccumulatorError) {
        guard epochSecondsAtStart.isFinite, abs(epochSecondsAtStart) <= Self.epochSecondsLimit else {
            throw .invalidLocalTime(
                "epoch seconds at start \(epochSecondsAtStart) must be finite and within ±\(Self.epochSecondsLimit)")
        }
        guard Self.utcOffsetRange.contains(utcOffsetSeconds) else {
            throw .invalidLocalTime(
                "UTC offset \(utcOffsetSeconds) s must be within \(Self.utcOffsetRange.lowerBound)"
                    + "...\(Self.utcOffsetRange.upperBound) s")
        }
        self.epochSecondsAtStart = epochSecondsAtStart
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    private enum CodingKeys: String, CodingKey {
        case epochSecondsAtStart, utcOffsetSeconds
    }

    /// Decoding checks the same ranges as `init(epochSecondsAtStart:utcOffsetSeconds:)`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let epoch = try container.decode(Double.self, forKey: .epochSecondsAtStart)
        let offset = try container.decode(Int.self, forKey: .utcOffsetSeconds)
        do {
            try self.init(epochSecondsAtStart: epoch, utcOffsetSeconds: offset)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// The local day containing engine time 0.
    var startDay: LocalDay {
        LocalDay(daysSince1970: Int(((epochSecondsAtStart + Double(utcOffsetSeconds)) / 86_400).rounded(.down)))
    }

    /// Seconds from local midnight of `startDay` to engine time 0, in [0, 86400).
    var secondsIntoStartDay: Double {
        let local = epochSecondsAtStart + Double(utcOffsetSeconds)
        return local - Double(startDay.daysSince1970) * 86_400
    }

    /// The local day containing engine time `t`. Computed from the start day plus a small offset, so that a
    /// whole-second `t` lands exactly on local midnight instead of suffering the rounding of epoch-sized numbers.
    func localDay(at t: Double) -> LocalDay {
        startDay.advanced(by: Int(((secondsIntoStartDay + t) / 86_400).rounded(.down)))
    }

    /// Wall-clock (Unix epoch) seconds at engine time `t`.
    public func epochSeconds(at t: Double) -> Double {
        epochSecondsAtStart + t
    }

    /// Engine time at which local day `day` begins (may be negative or beyond the session).
    public func engineTime(atStartOf day: LocalDay) -> Double {
        Double(startDay.distance(to: day)) * 86_400 - secondsIntoStartDay
    }
}
