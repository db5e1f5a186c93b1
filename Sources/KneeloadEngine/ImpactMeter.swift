import KneeloadCore

/// Size of the change in acceleration over fixed time spans, ‖a(t) − a(t − span)‖ in g, for two spans at once.
///
/// With a 20 ms span it is a jerk measure of foot-contact transients that does not depend on the sample rate
/// (a per-sample difference grows with the rate and with noise) and still works on clipped (±2 g) signals,
/// whose edges are as sharp as the impacts that clip them. With a 100 ms span it measures how fast the
/// shank's acceleration changes direction and size: large while the leg swings, small while squatting.
/// When a span is shorter than one sample interval, the previous sample is used.
///
/// Both spans read one ring of samples, so each sample is stored once.
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

    /// A power of two, so sample counts map to slots with a mask; enough for the longer span.
    private let mask: Int
    /// Time and acceleration of each sample in one slot: one uniqueness and bounds check per write.
    private var entries: [Entry]
    /// Absolute count of samples written.
    private var written = 0
    private var contact: Span
    private var swing: Span

    private struct Entry {
        var time: Double
        var accel: Vector3
    }

    /// One span and the absolute index of its reference sample.
    private struct Span {
        let seconds: Double
        /// How many samples back the span may reach: enough for it at the highest supported rate, plus margin.
        let held: Int
        var reference = 0

        init(seconds: Double) {
            self.seconds = seconds
            var size = 1
            while size < Int((seconds * SampleHistory.maximumRateHz).rounded(.up)) + 4 { size <<= 1 }
            held = size
        }

        /// Moves the reference to the newest earlier sample at least a span before `time` (or the oldest one
        /// it may reach) and returns its slot.
        mutating func referenceSlot(
            time: Double, written: Int, entries: UnsafeMutableBufferPointer<Entry>, mask: Int
        ) -> Int {
            // Wrapping arithmetic: sample counts cannot come near overflow, and the checks cost per sample.
            let oldest = max(0, written &- held &+ 1)
            if reference < oldest { reference = oldest }
            // Advance while the next sample is also at least a span old (amortised O(1) per sample).
            while reference &+ 1 < written && time - entries[(reference &+ 1) & mask].time >= seconds {
                reference &+= 1
            }
            return reference & mask
        }
    }

    public init() {
        contact = Span(seconds: Self.contactSpanS)
        swing = Span(seconds: Self.swingSpanS)
        let slots = max(contact.held, swing.held)
        mask = slots - 1
        entries = Array(repeating: Entry(time: 0, accel: Vector3(0, 0, 0)), count: slots)
    }

    public mutating func reset() {
        written = 0
        contact.reference = 0
        swing.reference = 0
    }

    /// Records the sample and returns ‖a(t) − a(ref)‖ for each span, where ref is the newest earlier sample
    /// at least a span old (or the oldest one held).
    public mutating func update(time: Double, accel: Vector3) -> Change {
        var change = Change(contact: 0, swing: 0)
        // Slots are always `index & mask` of a buffer of `mask + 1` entries: in range by construction, so the
        // ring is read and written through its buffer, without a bounds check per access.
        let mask = self.mask
        let written = self.written
        entries.withUnsafeMutableBufferPointer { ring in
            if written > 0 {
                let c = contact.referenceSlot(time: time, written: written, entries: ring, mask: mask)
                change.contact = (accel - ring[c].accel).norm
                let s = swing.referenceSlot(time: time, written: written, entries: ring, mask: mask)
                change.swing = (accel - ring[s].accel).norm
            }
            ring[written & mask] = Entry(time: time, accel: accel)
        }
        self.written = written &+ 1
        return change
    }
}
