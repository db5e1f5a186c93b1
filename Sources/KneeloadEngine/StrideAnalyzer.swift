/// Measures a stride around two consecutive swing markers: the foot contact after the first swing, the
/// toe-off before the second, and the knee and impact features through that stance. Runs once per stride
/// over `SampleHistory`, so its cost is amortised to a few operations per sample.
public struct StrideAnalyzer: Sendable {
    /// Earliest contact after the swing marker (s): the leg still has to decelerate and descend.
    static let contactSearchStartS = 0.03
    /// Latest contact after the swing marker, as a share of the stride and in seconds (terminal swing is
    /// 0.1–0.4 s of a 0.6–2 s stride).
    static let contactSearchShare = 0.5
    static let contactSearchMaximumS = 0.6
    /// After the gyro crosses zero at the end of swing, the contact's local maximum follows within this (s).
    static let contactPeakSearchS = 0.1
    /// Without a gyro, toe-off comes this long before the steepest knee flexion of early swing (s).
    static let kneeToeOffLeadS = 0.03

    public let usesGyro: Bool

    public init(usesGyro: Bool) {
        self.usesGyro = usesGyro
    }

    /// The foot contact following a swing marker at history index `swing`: with a gyro, the first local
    /// maximum of the sagittal rate after it climbs back through zero; without, the largest impact.
    public func contact(after swing: Int, history h: SampleHistory, expectedPeriodS: Double) -> Int {
        let swingTime = h.time(swing)
        let window = min(Self.contactSearchMaximumS, Self.contactSearchShare * expectedPeriodS)
        var i = max(h.index(atOrAfter: swingTime + Self.contactSearchStartS), h.oldestReadable)
        let end = min(h.index(atOrAfter: swingTime + window), h.lastIndex)
        guard i <= end else { return min(max(swing, h.oldestReadable), h.lastIndex) }
        if usesGyro {
            var k = i
            while k <= end && h.rate(k) < 0 { k += 1 }
            if k <= end {
                // First local maximum after the zero crossing.
                let stop = min(h.index(atOrAfter: h.time(k) + Self.contactPeakSearchS), h.lastIndex)
                var best = k
                var j = k
                while j < stop {
                    if h.rate(j + 1) < h.rate(j) { break }
                    j += 1
                    best = j
                }
                return best
            }
            // No zero crossing inside the window: the highest rate in it.
            var best = i
            while i <= end {
                if h.rate(i) > h.rate(best) { best = i }
                i += 1
            }
            return best
        }
        var best = i
        while i <= end {
            if h.impact(i) > h.impact(best) { best = i }
            i += 1
        }
        return best
    }

    /// Toe-off between the contact and the next swing marker. With a gyro: where the sagittal rate last
    /// turns from the stance's forward rotation (positive) to the swing's backward rotation (negative).
    /// Without: just before the steepest knee flexion on the way up to the swing peak.
    public func toeOff(contact: Int, nextSwing: Int, history h: SampleHistory) -> Int? {
        guard contact < nextSwing else { return nil }
        if usesGyro {
            var i = nextSwing - 1
            while i > contact {
                if h.rate(i) >= 0 { return i }
                i -= 1
            }
            return nil
        }
        // Lowest knee between contact and the swing peak; the swing's flexion rise starts there.
        var low = contact
        var i = contact
        while i <= nextSwing {
            if h.knee(i) < h.knee(low) { low = i }
            i += 1
        }
        var steepest = -Double.infinity
        var at = low
        i = max(low, contact + 1)
        while i <= nextSwing {
            let dt = h.time(i) - h.time(i - 1)
            let slope = dt > 0 ? (h.knee(i) - h.knee(i - 1)) / dt : 0
            if slope > steepest {
                steepest = slope
                at = i
            }
            i += 1
        }
        let target = h.time(at) - Self.kneeToeOffLeadS
        return max(contact + 1, min(h.index(atOrAfter: target), nextSwing))
    }

    /// Knee features over the stance [contact, toeOff] and the stride [previousSwing, nextSwing].
    /// `baseline` converts the raw knee in the history into corrected flexion.
    public func features(
        contact: Int, toeOff: Int, previousSwing: Int, nextSwing: Int?, periodS: Double,
        baseline: KneeBaseline, history h: SampleHistory
    ) -> StrideFeatures {
        var f = StrideFeatures()
        f.contactIndex = contact
        f.contactTime = h.time(contact)
        f.toeOffIndex = toeOff
        f.toeOffTime = h.time(toeOff)
        f.periodS = periodS
        f.kneeAtContactDeg = h.knee(contact) - baseline.offset(at: h.time(contact))
        var peak = f.kneeAtContactDeg
        var peakIndex = contact
        var minimumBefore = f.kneeAtContactDeg
        var i = contact
        while i <= toeOff {
            let k = h.knee(i) - baseline.offset(at: h.time(i))
            if k > peak {
                peak = k
                peakIndex = i
            }
            i += 1
        }
        i = contact
        while i <= peakIndex {
            minimumBefore = min(minimumBefore, h.knee(i) - baseline.offset(at: h.time(i)))
            i += 1
        }
        var minimumAfter = peak
        i = peakIndex
        while i <= toeOff {
            minimumAfter = min(minimumAfter, h.knee(i) - baseline.offset(at: h.time(i)))
            i += 1
        }
        f.stancePeakKneeDeg = peak
        f.stanceMinimumBeforePeakDeg = minimumBefore
        f.extensionAfterPeakDeg = peak - minimumAfter
        let stance = f.toeOffTime - f.contactTime
        f.stancePeakShare = stance > 0 ? (h.time(peakIndex) - f.contactTime) / stance : 0
        // Stride-wide: raw knee minimum and swing peak, impact near contact.
        let strideEnd = nextSwing ?? toeOff
        var rawMinimum = Double.infinity
        i = max(previousSwing, h.oldestReadable)
        while i <= strideEnd {
            rawMinimum = min(rawMinimum, h.knee(i))
            i += 1
        }
        f.rawKneeMinimumDeg = rawMinimum
        var swingPeak = -Double.infinity
        i = toeOff
        while i <= strideEnd {
            swingPeak = max(swingPeak, h.knee(i) - baseline.offset(at: h.time(i)))
            i += 1
        }
        f.swingPeakKneeDeg = swingPeak
        let from = h.index(atOrAfter: f.contactTime - 0.05)
        let to = min(h.index(atOrAfter: f.contactTime + 0.05), h.lastIndex)
        var impact = 0.0
        i = from
        while i <= to {
            impact = max(impact, h.impact(i))
            i += 1
        }
        f.impactG = impact
        let p0 = h.pressure(max(previousSwing, h.oldestReadable))
        let p1 = h.pressure(strideEnd)
        if p0.isFinite && p1.isFinite && periodS > 0 {
            f.pressureSlopePaPerS = (p1 - p0) / periodS
        }
        return f
    }
}
