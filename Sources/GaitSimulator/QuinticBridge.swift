import Foundation

/// A quintic polynomial in time that matches position, velocity and acceleration at both ends: the
/// smoothest simple way to join two motions without a step in acceleration.
struct QuinticBridge: Sendable {
    let startTime: Double
    let span: Double
    /// Coefficients in normalised time s = (t − start)/span.
    let c: (Double, Double, Double, Double, Double, Double)

    static let none = QuinticBridge(from: Jet.zero, to: Jet.zero, startTime: 0, span: 1)

    init(from start: Jet, to end: Jet, startTime: Double, span: Double) {
        self.startTime = startTime
        self.span = span
        let d = end.value - start.value
        let v0 = start.rate * span, v1 = end.rate * span
        let a0 = start.curvature * span * span, a1 = end.curvature * span * span
        c = (
            start.value, v0, a0 / 2,
            10 * d - 6 * v0 - 4 * v1 - 1.5 * a0 + 0.5 * a1,
            -15 * d + 8 * v0 + 7 * v1 + 1.5 * a0 - a1,
            6 * d - 3 * v0 - 3 * v1 - 0.5 * a0 + 0.5 * a1
        )
    }

    /// The bridge inside its span, zero outside it (for bridges that end or start at zero).
    @inline(__always) func evaluateInside(at t: Double) -> Jet {
        guard t > startTime && t < startTime + span else { return .zero }
        return evaluate(at: t)
    }

    @inline(__always) func evaluate(at t: Double) -> Jet {
        let s = (t - startTime) / span
        let value = c.0 + s * (c.1 + s * (c.2 + s * (c.3 + s * (c.4 + s * c.5))))
        let ds = c.1 + s * (2 * c.2 + s * (3 * c.3 + s * (4 * c.4 + s * 5 * c.5)))
        let dds = 2 * c.2 + s * (6 * c.3 + s * (12 * c.4 + s * 20 * c.5))
        return Jet(value, ds / span, dds / (span * span))
    }
}

/// The ringing of the shank after a foot contact: a damped oscillation, mostly along the shank axis.
/// Real shank IMUs show a sharp positive spike along +x at contact followed by a few cycles of ringing at
/// 20–40 Hz (soft tissue and bone); cheap parts clip it at their full scale.
struct ContactTransient: Sendable, Hashable {
    var time: Double
    /// Peak along +x, g.
    var peakG: Double
    var frequencyHz: Double
    var decayS: Double
    /// Forward (y) component as a share of the axial one.
    var forwardShare: Double
    /// z angular rate in °/s per g of axial peak.
    var gyroDpsPerG: Double
    /// 1 / max of e^(−t/τ)·sin(ωt), so that `peakG` is the true peak.
    var normalisation: Double

    init(time: Double, peakG: Double, frequencyHz: Double, decayS: Double, forwardShare: Double, gyroDpsPerG: Double) {
        self.time = time
        self.peakG = peakG
        self.frequencyHz = frequencyHz
        self.decayS = decayS
        self.forwardShare = forwardShare
        self.gyroDpsPerG = gyroDpsPerG
        let omega = 2 * Double.pi * frequencyHz
        let tPeak = atan(omega * decayS) / omega
        normalisation = 1 / (exp(-tPeak / decayS) * sin(omega * tPeak))
    }

    /// Lasts until it has decayed below 0.1 % of its peak.
    var endTime: Double { time + 7 * decayS }

    /// The unit-peak waveform at t (0 before the contact and after `endTime`).
    @inline(__always) func shape(at t: Double) -> Double {
        let dt = t - time
        guard dt > 0, dt < 7 * decayS else { return 0 }
        return normalisation * exp(-dt / decayS) * sin(2 * .pi * frequencyHz * dt)
    }
}

