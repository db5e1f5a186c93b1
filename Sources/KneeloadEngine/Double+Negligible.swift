extension Double {
    /// Magnitudes below this are taken as 0 by `flushedIfNegligible`: no quantity of the engine (in g, °, °/s,
    /// seconds, BW) means anything there, and any sum with a meaningful value rounds them away.
    @usableFromInline static let negligibleMagnitude = 1e-100

    /// This value, or 0 if it is negligible. For states that decay toward an exactly-zero input (a perfectly
    /// steady sensor, hours without a swing): they would otherwise end stuck at a subnormal number (a gain
    /// below one half never takes the smallest ones to zero), whose arithmetic costs x86 about a hundred
    /// times more. Once flushed such a state stays 0, so flushing now and then is enough.
    @inlinable var flushedIfNegligible: Double {
        magnitude < Self.negligibleMagnitude ? 0 : self
    }
}
