import KneeloadCore

/// Size of the change in acceleration over fixed time spans, ‖a(t) − a(t − span)‖ in g, for two spans at once.
///
/// With a 20 ms span it is a jerk measure of foot-contact transients that does not depend on the sample rate
/// (a per-sample difference grows with the rate and with noise) and still works on clipped (±2 g) signals,
/// whose edges are as sharp as the impacts that clip them. With a 100 ms span it measures how fast the
/// shank's acceleration changes direction and size: large while the leg swings, small while squatting.
/// When a span is shorter than one sample interval, the previous sample is used.
///
/// The earlier samples are read from `SampleHistory`, which keeps each sample's acceleration: the meter
/// itself holds only where each span's reference sample is.
public struct ImpactMeter: Sendable {
    /// Foot-contact transients rise in roughly 10–30 ms; 20 ms catches the rise while averaging noise.
    public static let contactSpanS = 0.02
    /// A swing turns the shank 30–60° in 100 ms; squatting turns it by a few degrees.
    public static let swingSpanS = 0.1

    /// The change over each span at the newest sample, in g.
    public struct Change: Sendable, Equatable {
        /// Over `contactSpanS`.
        public var contact: Double
        /// Over `swingSpanS`.
        public var swing: Double
    }

    private var contact: Span
    private var swing: Span

    /// One span and the history index of its reference sample.
    private struct Span {
        let seconds: Double
        /// How many samples back the span may reach: enough for it at the highest supported rate, plus margin
        /// (a power of two, as when the meter kept its own ring of that size).
        let held: Int
        var reference = 0

        init(seconds: Double) {
            self.seconds = seconds
            var size = 1
            while size < Int((seconds * SampleHistory.maximumRateHz).rounded(.up)) + 4 { size <<= 1 }
            held = size
        }

        /// Moves the reference to the newest earlier sample at least a span before `time` (or the oldest one
        /// it may reach: within `held` samples, and not before the history was last cleared) and returns it.
        mutating func reference(time: Double, next: Int, oldestReadable: Int, history h: SampleHistory) -> Int {
            // Wrapping arithmetic: sample counts cannot come near overflow, and the checks cost per sample.
            let oldest = max(oldestReadable, next &- held &+ 1)
            if reference < oldest { reference = oldest }
            // Advance while the next sample is also at least a span old (amortised O(1) per sample).
            while reference &+ 1 < next && time - h.time(reference &+ 1) >= seconds {
                reference &+= 1
            }
            return reference
        }
    }

    public init() {
        contact = Span(seconds: Self.contactSpanS)
        swing = Span(seconds: Self.swingSpanS)
    }

    /// ‖a(t) − a(ref)‖ for each span, where ref is the newest sample in `history` at least a span older than
    /// this one (or the oldest one the span may reach); 0 when the history holds no readable sample. Call it
    /// before appending this sample to `history`. After `history.clear()` the spans start over by themselves.
    @inline(__always)
    public mutating func update(time: Double, accel: Vector3, history h: SampleHistory) -> Change {
        Change(
            contact: contactChange(time: time, accel: accel, history: h),
            swing: swingChange(time: time, accel: accel, history: h))
    }

    /// `update`'s change over `contactSpanS` alone.
    @inline(__always)
    public mutating func contactChange(time: Double, accel: Vector3, history h: SampleHistory) -> Double {
        Self.change(over: &contact, time: time, accel: accel, history: h)
    }

    /// `update`'s change over `swingSpanS` alone. It may be skipped for samples whose swing change is not
    /// needed: the reference sample only moves forward with time, and catching up later over skipped samples
    /// finds the same one as moving sample by sample would (it is the newest sample a span old, or the oldest
    /// one the span may reach, whichever is later).
    @inline(__always)
    public mutating func swingChange(time: Double, accel: Vector3, history h: SampleHistory) -> Double {
        Self.change(over: &swing, time: time, accel: accel, history: h)
    }

    /// ‖a(t) − a(ref)‖ with `span`'s reference sample, moved up to `time`; 0 without a readable sample.
    @inline(__always)
    private static func change(over span: inout Span, time: Double, accel: Vector3, history h: SampleHistory) -> Double {
        let next = h.nextIndex
        let oldestReadable = h.oldestReadable
        guard next > oldestReadable else { return 0 }
        let reference = span.reference(time: time, next: next, oldestReadable: oldestReadable, history: h)
        return (accel - h.accel(reference)).norm
    }
}
