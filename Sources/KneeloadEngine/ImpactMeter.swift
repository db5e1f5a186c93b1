import KneeloadCore

/// Size of the change in acceleration over a fixed time span, ‖a(t) − a(t − span)‖ in g.
///
/// With a 20 ms span it is a jerk measure of foot-contact transients that does not depend on the sample rate
/// (a per-sample difference grows with the rate and with noise) and still works on clipped (±2 g) signals,
/// whose edges are as sharp as the impacts that clip them. With a 100 ms span it measures how fast the
/// shank's acceleration changes direction and size: large while the leg swings, small while squatting.
/// When the span is shorter than one sample interval, the previous sample is used.
public struct ImpactMeter: Sendable {
    /// Foot-contact transients rise in roughly 10–30 ms; 20 ms catches the rise while averaging noise.
    public static let contactSpanS = 0.02
    /// A swing turns the shank 30–60° in 100 ms; squatting turns it by a few degrees.
    public static let swingSpanS = 0.1

    public let spanS: Double
    /// A power of two, so sample counts map to slots with a mask.
    private let slots: Int
    private let mask: Int
    private var times: [Double]
    private var accels: [Vector3]
    /// Absolute count of samples written, and the absolute index of the reference sample.
    private var written = 0
    private var reference = 0

    public init(spanS: Double) {
        self.spanS = spanS
        // Enough slots for the span at the highest supported rate, plus margin.
        var size = 1
        while size < Int((spanS * SampleHistory.maximumRateHz).rounded(.up)) + 4 { size <<= 1 }
        slots = size
        mask = size - 1
        times = Array(repeating: 0, count: slots)
        accels = Array(repeating: .zero, count: slots)
    }

    public mutating func reset() {
        written = 0
        reference = 0
    }

    /// Records the sample and returns ‖a(t) − a(ref)‖, where ref is the newest earlier sample at least a
    /// span old (or the oldest one held).
    public mutating func update(time: Double, accel: Vector3) -> Double {
        var result = 0.0
        if written > 0 {
            let oldest = max(0, written - slots + 1)
            if reference < oldest { reference = oldest }
            // Advance while the next sample is also at least a span old (amortised O(1) per sample).
            while reference + 1 < written && time - times[(reference + 1) & mask] >= spanS {
                reference += 1
            }
            result = (accel - accels[reference & mask]).norm
        }
        times[written & mask] = time
        accels[written & mask] = accel
        written += 1
        return result
    }
}
