import KneeloadCore

/// Size of the change in acceleration over a fixed 20 ms span, ‖a(t) − a(t − 20 ms)‖ in g: a jerk measure
/// that does not depend on the sample rate (a per-sample difference would grow with the rate and with noise)
/// and still works on clipped (±2 g) signals, whose edges are as sharp as the impacts that clip them.
/// At rates below 50 Hz the span becomes one sample.
public struct ImpactMeter: Sendable {
    /// Foot-contact transients rise in roughly 10–30 ms; 20 ms catches the rise while averaging noise.
    public static let spanS = 0.02
    /// Enough slots for the span at the highest supported rate (1000 Hz → 20 samples, plus margin).
    static let slots = 32

    private var times: [Double]
    private var accels: [Vector3]
    private var next = 0
    private var count = 0

    public init() {
        times = Array(repeating: 0, count: Self.slots)
        accels = Array(repeating: .zero, count: Self.slots)
    }

    public mutating func reset() {
        count = 0
    }

    /// Records the sample and returns ‖a(t) − a(t − span)‖, using the newest stored sample at least a span old
    /// (or the oldest held, at very high rates).
    public mutating func update(time: Double, accel: Vector3) -> Double {
        var result = 0.0
        if count > 0 {
            // Walk back from the newest stored sample to the first one at least a span old.
            var k = 1
            var slot = (next - 1 + Self.slots) % Self.slots
            while k < count && time - times[slot] < Self.spanS {
                slot = (slot - 1 + Self.slots) % Self.slots
                k += 1
            }
            result = (accel - accels[slot]).norm
        }
        times[next] = time
        accels[next] = accel
        next = (next + 1) % Self.slots
        count = Swift.min(count + 1, Self.slots)
        return result
    }
}
