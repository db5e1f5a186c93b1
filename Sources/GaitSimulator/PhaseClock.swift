/// Maps time to the gait phase: phase k (an integer) is the start of cycle k (a foot contact of the
/// instrumented leg for a stride, the start of a rep for a squat), and phase k + 0.4 is 40 % into it.
///
/// Each knot k carries a cycle frequency f_k; between knots the frequency moves from f_k to f_{k+1} along a
/// quintic smoothstep, and knot spacing is 2/(f_k + f_{k+1}) so that exactly one cycle fits. The frequency is
/// then twice differentiable in time and the phase three times, so cadence changes (stride to stride, or
/// walk to run) put no kinks into joint angular velocity.
struct PhaseClock: Sendable {
    /// Knot times, strictly increasing; `times.count == cycleCount + 1`.
    let times: [Double]
    /// Cycle frequency (cycles per second) at each knot.
    let frequencies: [Double]

    init(startTime: Double, frequencies: [Double]) {
        precondition(frequencies.count >= 2 && frequencies.allSatisfy { $0 > 0 })
        self.frequencies = frequencies
        var times = [startTime]
        times.reserveCapacity(frequencies.count)
        for k in 0..<(frequencies.count - 1) {
            times.append(times[k] + 2 / (frequencies[k] + frequencies[k + 1]))
        }
        self.times = times
    }

    var cycleCount: Int { times.count - 1 }
    var startTime: Double { times[0] }
    var endTime: Double { times[times.count - 1] }

    /// The cycle containing `t` (clamped to the first and last cycle).
    @inline(__always) func cycle(at t: Double) -> Int {
        if t <= times[0] { return 0 }
        if t >= times[times.count - 1] { return cycleCount - 1 }
        var lo = 0, hi = times.count - 1  // times[lo] <= t < times[hi]
        while hi - lo > 1 {
            let mid = (lo + hi) >> 1
            if times[mid] <= t { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// Phase and its time derivatives at `t` in cycle `k`.
    @inline(__always) func phase(at t: Double, cycle k: Int) -> Jet {
        let t0 = times[k], span = times[k + 1] - t0
        let s = (t - t0) / span
        let f0 = frequencies[k], df = frequencies[k + 1] - f0
        let s2 = s * s, s3 = s2 * s
        let smooth = s3 * (10 - 15 * s + 6 * s2)
        let smoothSlope = 30 * s2 * (1 - s) * (1 - s)
        let smoothIntegral = s2 * s2 * (2.5 - 3 * s + s2)
        return Jet(Double(k) + span * (f0 * s + df * smoothIntegral), f0 + df * smooth, df * smoothSlope / span)
    }

    func phase(at t: Double) -> Jet {
        let clamped = min(max(t, startTime), endTime)
        return phase(at: clamped, cycle: cycle(at: clamped))
    }

    /// The time at which the phase reaches `target` (bisection then Newton; phase is strictly increasing).
    func time(atPhase target: Double) -> Double {
        let k = min(max(Int(target.rounded(.down)), 0), cycleCount - 1)
        var lo = times[k], hi = times[k + 1]
        var t = lo + (hi - lo) * (target - Double(k))
        for _ in 0..<60 {
            let p = phase(at: t, cycle: k)
            let error = p.value - target
            if abs(error) < 1e-13 { break }
            if error > 0 { hi = t } else { lo = t }
            let newton = t - error / p.rate
            t = (newton > lo && newton < hi) ? newton : (lo + hi) / 2
        }
        return t
    }
}
