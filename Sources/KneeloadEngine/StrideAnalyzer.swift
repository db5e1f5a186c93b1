/// Measures a stride around two consecutive swing markers: the foot contact after the first swing, the
/// toe-off before the second, and the knee and impact features through that stance. Runs once per stride
/// over `SampleHistory`, so its cost is amortised to a few operations per sample.
public struct StrideAnalyzer: Sendable {
    /// Earliest contact after the swing marker (s): the leg still has to decelerate and descend.
    static let contactSearchStartS = 0.03
    /// Latest contact after the swing marker, as a share of the stride and in seconds (terminal swing is
    /// 0.1–0.4 s of a 0.6–2 s stride).
    static let contactSearchShare = 0.5
    /// Slow strides (walking at 75–90 steps/min, stairs down at 55–70) land later than that: up to a whole
    /// swing after the marker, `GaitEventDetector.swingShareOfStride` of the stride (~0.7 s after the knee's
    /// swing peak at 55 steps/min down stairs), so the cap grows to that share.
    static let contactSearchMaximumS = 0.6
    /// The contact transient is looked for from the end of swing (the gyro's zero crossing as the shank
    /// stops turning backward, or the knee's terminal-swing extension) to 0.3 s or 25 % of the
    /// stride after it: the foot lands 0.02–0.1 s later on level ground (Aminian 2002; Catalfamo 2010) and
    /// up to ~0.2 s later when reaching down a stair. Not earlier: terminal swing's own deceleration can be
    /// as large as a soft contact. Not later: a running stance is only ~30 % of the stride, and the swing
    /// after it shakes the shank harder than any contact (clipped at ±2 g, the two look alike). The
    /// transient is the sharpest acceleration change in that window.
    static let contactImpactBeforeS = 0.0
    static let contactImpactAfterS = 0.3
    static let contactImpactAfterShare = 0.25
    /// Share of the window's largest acceleration change that marks the transient's onset.
    static let contactOnsetShare = 0.5
    static let contactOnsetCapG = 0.8
    /// Smallest 20 ms acceleration change taken as the contact transient (g).
    static let contactImpactG = 0.3
    /// A contact transient rises to its peak within this time (s): 10–30 ms (`ImpactMeter`), plus the
    /// 20 ms span of the meter itself.
    static let transientRiseS = 0.05
    /// A knee still this far (°) above the lowest point of the contact search at the anchor has not ended
    /// its extension there (terminal swing ends at its lowest point on level ground and stairs down); well
    /// above knee noise (~1–2°).
    static let stillExtendingDeg = 10.0
    /// ... and one that flexes again by at least this much (°) after its lowest point in the search has
    /// landed there (level ground, stairs down: the loading response); above knee noise (2° RMS).
    static let stillExtendingReboundDeg = 5.0
    /// Without a gyro, toe-off comes this long before the steepest knee flexion of early swing (s).
    static let kneeToeOffLeadS = 0.03
    /// A knee extension of at least this much (°) between the stance peak and the swing rise is a push-off
    /// (walking ~10–15°, running ~20°); knee noise after smoothing is ~1°.
    static let pushOffDipDeg = 5.0
    /// A running push-off ends in a sharp V of the knee: ≥ 12° of flexion within 0.06 s on both sides of
    /// toe-off (measured ~25° in running; walking's mid-stance minimum is a shallow ~6° bowl).
    static let sharpDipDeg = 12.0
    static let sharpDipSpanS = 0.06
    /// Span of the knee velocity estimate (s).
    static let velocitySpanS = 0.02
    /// A terminal-swing extension is faster than this (°/s; walking ~300, running ~500), and it has ended
    /// when it slows below this share of its peak. Stairs up keep extending after contact, but at about a
    /// third of the swing's speed, so the share must sit above that.
    static let swingExtensionDegPerS = 100.0
    static let extensionSlowedShare = 0.5
    /// The swing extension's speed is judged over 50 ms: a noisy flex sensor (2° RMS) would otherwise seem
    /// to stop extending early (2° over 20 ms is 100 °/s).
    static let extensionVelocitySpanS = 0.05
    /// Time after the detected contact searched for the knee's terminal-swing minimum (s): a contact found
    /// up to ~0.15 s early must not count the end of the swing's extension as stance.
    static let stanceStartSearchS = 0.2
    /// The leg's landing knee is the straightest one within this time (s) of the detected contact. The
    /// contact's timing jitters by a sample or two at 60–100 Hz (17–33 ms), and on stairs down it sits on the
    /// impact's onset, which can follow the straightest knee by 30–50 ms (forefoot first, then the heel
    /// lowers: Riener 2002, biomech.md §3) while the knee already flexes at ~1° per 10 ms: read at the
    /// detected sample, a fast descender's landing knee looks 5–15° too bent.
    static let contactKneeWindowS = 0.1
    /// A flexion slowing below this share of its fastest speed so far counts as a pause.
    static let pauseShare = 0.3
    /// Bin width (s) of the knee means the push-off dip is measured on.
    static let dipBinS = 0.05
    /// Knee wiggle (°) tolerated while walking back down into the dip.
    static let dipNoiseToleranceDeg = 2.0

    public let usesGyro: Bool

    public init(usesGyro: Bool) {
        self.usesGyro = usesGyro
    }

    /// The foot contact following a swing marker at history index `swing`: with a gyro, the first local
    /// maximum of the sagittal rate after it climbs back through zero; without, the largest impact.
    public func contact(after swing: Int, history h: SampleHistory, expectedPeriodS: Double) -> Int {
        let swingTime = h.time(swing)
        let window = min(
            max(Self.contactSearchMaximumS, GaitEventDetector.swingShareOfStride * expectedPeriodS),
            Self.contactSearchShare * expectedPeriodS)
        var i = max(h.index(atOrAfter: swingTime + Self.contactSearchStartS), h.oldestReadable)
        let end = min(h.index(atOrAfter: swingTime + window), h.lastIndex)
        guard i <= end else { return min(max(swing, h.oldestReadable), h.lastIndex) }
        if usesGyro {
            // Terminal swing ends when the shank stops turning backward: the rate climbs through zero.
            var k = i
            while k <= end && h.rate(k) < 0 { k += 1 }
            if k > end {
                // No zero crossing inside the window: the highest rate in it.
                var best = i
                while i <= end {
                    if h.rate(i) > h.rate(best) { best = i }
                    i += 1
                }
                return best
            }
            // On stairs up the foot lands while the shank still turns backward (~60 ms before the crossing),
            // and the knee extends on through the landing: the landing is then the most prominent transient.
            if kneeExtendsThroughLanding(anchor: k, from: max(swing, h.oldestReadable), to: end, history: h),
                let landing = sharpestTransient(from: i, to: end, history: h)
            {
                return landing
            }
            // The contact transient near that crossing marks the contact itself, when there is one.
            return refineWithImpact(anchor: k, notBefore: i, periodS: expectedPeriodS, history: h)
        }
        // Without a gyro: terminal swing is the knee's fastest extension of the stride (walking ~300 °/s,
        // running ~500, stairs ~200–300; stance extensions are slower), and it ends, as the leg reaches
        // out for the contact, where that extension has slowed to half its peak speed. On level ground and
        // stairs down this is the knee's lowest point; on stairs up the knee keeps extending, slowly, under
        // load. Searching for the fastest extension rather than from the knee's highest point matters when
        // the stance ends with a flexion bump higher than the swing's (barely-bending stair descenders).
        var fastest = 0.0
        var fastestAt = max(swing, h.oldestReadable)
        var k = max(swing, h.oldestReadable + 1)
        var lowest = fastestAt
        while k <= end {
            if h.knee(k) < h.knee(lowest) { lowest = k }
            let v = kneeVelocity(k, spanS: Self.extensionVelocitySpanS, history: h)
            if v < fastest {
                fastest = v
                fastestAt = k
            }
            k += 1
        }
        var anchor = lowest
        if fastest < -Self.swingExtensionDegPerS {
            k = fastestAt
            while k <= end && kneeVelocity(k, spanS: Self.extensionVelocitySpanS, history: h) <= Self.extensionSlowedShare * fastest {
                k += 1
            }
            anchor = min(k, end)
        }
        if kneeExtendsThroughLanding(anchor: anchor, from: max(swing, h.oldestReadable), to: end, history: h),
            let landing = sharpestTransient(from: i, to: end, history: h)
        {
            // Stairs up: the swing's extension runs on into the stance's at much the same speed (landing at
            // ~60°, straightening under load), so the knee marks no contact. The landing is then the most
            // prominent transient since the swing marker.
            return landing
        }
        return refineWithImpact(anchor: max(anchor, i), notBefore: i, periodS: expectedPeriodS, history: h)
    }

    /// Knee flexion velocity (°/s) over a fixed span before sample `i` (20 ms unless given), so noise does
    /// not grow with the sample rate.
    func kneeVelocity(_ i: Int, spanS: Double = velocitySpanS, history h: SampleHistory) -> Double {
        let t = h.time(i)
        var j = h.index(atOrAfter: t - spanS, searchingBackFrom: i)
        if j >= i { j = max(i - 1, h.oldestReadable) }
        let dt = t - h.time(j)
        return dt > 0 ? (h.knee(i) - h.knee(j)) / dt : 0
    }

    /// The contact transient near an anchor at the end of swing, if there is one; else the anchor.
    func refineWithImpact(anchor: Int, notBefore: Int, periodS: Double, history h: SampleHistory) -> Int {
        let from = max(h.index(atOrAfter: h.time(anchor) - Self.contactImpactBeforeS), notBefore)
        let after = min(Self.contactImpactAfterS, Self.contactImpactAfterShare * periodS)
        let to = min(h.index(atOrAfter: h.time(anchor) + after), h.lastIndex)
        var best = anchor
        var j = from
        while j <= to {
            if h.impact(j) > h.impact(best) { best = j }
            j += 1
        }
        guard h.impact(best) >= Self.contactImpactG else { return anchor }
        // The contact is the transient's onset: the first sample reaching half its largest change, or
        // 0.8 g (any contact's first 20 ms), whichever is less: the foot-slap and ringing that follow, or a
        // knock later in the stance, can be sharper than the first touch.
        let onsetLevel = max(Self.contactImpactG, min(Self.contactOnsetShare * h.impact(best), Self.contactOnsetCapG))
        j = from
        while j < best && h.impact(j) < onsetLevel { j += 1 }
        return j
    }

    /// Whether the knee is still extending at the contact anchor (≥ `stillExtendingDeg` above its lowest
    /// point in [from, to], or the anchor at the end) and keeps extending to the end of the search (flexes
    /// back < `stillExtendingReboundDeg` after its lowest point): stairs up. On level ground and stairs down
    /// the knee is lowest at the landing and flexes again under load.
    func kneeExtendsThroughLanding(anchor: Int, from: Int, to end: Int, history h: SampleHistory) -> Bool {
        guard from <= end else { return false }
        var lowest = from
        var k = from
        while k <= end {
            if h.knee(k) < h.knee(lowest) { lowest = k }
            k += 1
        }
        var rebound = 0.0
        k = lowest
        while k <= end {
            rebound = max(rebound, h.knee(k) - h.knee(lowest))
            k += 1
        }
        let stillExtending = anchor >= end || h.knee(anchor) - h.knee(lowest) > Self.stillExtendingDeg
        return stillExtending && rebound < Self.stillExtendingReboundDeg
    }

    /// The onset of the most prominent contact transient in [from, to], if its rise reaches
    /// `contactImpactG`. Prominence is the 20 ms change above its floor over the `transientRiseS` before it:
    /// a landing is a sudden change on top of whatever the swing was doing, while the swing's own
    /// deceleration keeps the meter raised smoothly for 0.1 s or more (it can read as high as a soft
    /// landing's peak). The onset is the first sample rising half way from the floor to that peak.
    func sharpestTransient(from: Int, to: Int, history h: SampleHistory) -> Int? {
        guard from <= to else { return nil }
        var best = -1
        var bestFloor = 0.0
        var bestRise = 0.0
        var j = from
        while j <= to {
            let t = h.time(j)
            var floor = h.impact(j)
            var k = h.index(atOrAfter: t - Self.transientRiseS, searchingBackFrom: j)
            while k < j {
                floor = min(floor, h.impact(k))
                k += 1
            }
            let rise = h.impact(j) - floor
            if rise > bestRise {
                best = j
                bestRise = rise
                bestFloor = floor
            }
            j += 1
        }
        guard best >= 0, bestRise >= Self.contactImpactG else { return nil }
        let onsetLevel = bestFloor + Self.contactOnsetShare * bestRise
        j = max(from, h.index(atOrAfter: h.time(best) - Self.transientRiseS))
        while j < best && h.impact(j) < onsetLevel { j += 1 }
        return j
    }

    /// Toe-off between the contact and the next swing marker, and whether it was measured.
    ///
    /// When the knee extends before the swing (a push-off dip: walking, running), toe-off comes just before
    /// the steepest knee flexion on the way up to the swing peak (the foot leaves the ground as the knee
    /// whips into flexion). When the knee keeps flexing from contact into the swing (stairs down), there is
    /// no knee signature: with a gyro, toe-off is taken where the shank stops rotating forward; without
    /// one, it is not measured (nil) and the caller estimates it.
    public func toeOff(contact: Int, nextSwing: Int, history h: SampleHistory) -> Int? {
        guard contact < nextSwing else { return nil }
        let start = stanceStart(contact: contact, limit: nextSwing, history: h)
        // The knee's swing peak at or before the marker (with a gyro the marker is mid-swing, a little after).
        var kneePeak = start
        var i = start
        while i <= nextSwing {
            if h.knee(i) >= h.knee(kneePeak) { kneePeak = i }
            i += 1
        }
        // The push-off dip: walking back from the swing peak, the knee falls to the dip and then rises
        // again over the stance peak (a rise of more than the noise tolerance ends the walk).
        var low = kneePeak
        i = kneePeak
        while i > start {
            i -= 1
            if h.knee(i) < h.knee(low) {
                low = i
            } else if h.knee(i) > h.knee(low) + Self.dipNoiseToleranceDeg {
                break
            }
        }
        var stancePeak = h.knee(low)
        while i >= start {
            stancePeak = max(stancePeak, h.knee(i))
            i -= 1
        }
        // Single samples of a noisy flex sensor (2° RMS at 50 Hz) can fake a 5° dip where the knee only
        // flexes (stairs down); on 50 ms means that fake dip is gone (< 1°), while walking's shallowest
        // push-off dips still read ≥ 3.5° there. So the dip must also exceed the noise tolerance on the means.
        let hasDip = stancePeak - h.knee(low) >= Self.pushOffDipDeg
            && largestBinnedDrop(from: start, to: kneePeak, history: h) >= Self.dipNoiseToleranceDeg
        if hasDip && dipSharpness(low, history: h) >= Self.sharpDipDeg
            && risesWithoutPause(from: low, to: kneePeak, history: h)
        {
            // Running: the knee extends under load until the foot leaves the ground, then whips into
            // flexion at once and keeps flexing to the swing peak. The bottom of that sharp V is the toe-off.
            return low
        }
        if usesGyro {
            // Walking and stairs: the foot leaves as the shank stops rotating forward over it.
            var j = nextSwing - 1
            while j > start {
                if h.rate(j) >= 0 { return j }
                j -= 1
            }
            return nil
        }
        // Without a gyro, stairs down give no toe-off signature in the knee (nil: the caller estimates it);
        // walking's toe-off comes just before the knee's steepest flexion into the swing.
        guard hasDip else { return nil }
        var steepest = -Double.infinity
        var at = low
        i = max(low, start + 1)
        while i <= kneePeak {
            let slope = kneeVelocity(i, history: h)
            if slope > steepest {
                steepest = slope
                at = i
            }
            i += 1
        }
        let target = h.time(at) - Self.kneeToeOffLeadS
        return max(start + 1, min(h.index(atOrAfter: target), nextSwing))
    }

    /// The largest knee extension (drop from an earlier maximum) over [from, to], measured on `dipBinS`
    /// means so knee noise does not count as extension.
    func largestBinnedDrop(from: Int, to: Int, history h: SampleHistory) -> Double {
        binnedDrops(from: from, to: to, loadedEnd: to, history: h).largest
    }

    /// `largestBinnedDrop` over [from, to], and the largest one among the bins starting by `loadedEnd`.
    func binnedDrops(from: Int, to: Int, loadedEnd: Int, history h: SampleHistory) -> (largest: Double, loaded: Double) {
        var runningMaximum = -Double.infinity
        var largestDrop = 0.0
        var loadedDrop = 0.0
        var i = from
        while i <= to {
            let binEnd = h.time(i) + Self.dipBinS
            let inLoadedPart = i <= loadedEnd
            var sum = 0.0
            var count = 0.0
            while i <= to && h.time(i) < binEnd {
                sum += h.knee(i)
                count += 1
                i += 1
            }
            let k = sum / count
            runningMaximum = max(runningMaximum, k)
            largestDrop = max(largestDrop, runningMaximum - k)
            if inLoadedPart { loadedDrop = largestDrop }
        }
        return (largestDrop, loadedDrop)
    }

    /// Where the stance's knee analysis starts: the knee's lowest point within 0.1 s after the detected
    /// contact, so a contact found a little early does not count the end of the swing's extension as part of
    /// the stance.
    ///
    /// The search ends early once the knee has flexed `stillExtendingDeg` above its lowest point so far: the
    /// loading response has begun, so a lower knee later on is the push-off, not the landing. A running
    /// stance at 170–185 steps/min lasts only 0.2–0.25 s, and a stiff runner (stance peak ~30–35°) leaves
    /// the ground on a knee as straight as the one it landed on (true knee 18° at contact, 17° at toe-off in
    /// the generalization probe's draw 692): with 2–3° of knee noise the 0.2 s window's minimum then fell on
    /// the toe-off, the stance seemed to flex on into the swing, no push-off was found and the stride
    /// passed for a stair descent (14 of ~350 level walking/running draws had false descents).
    func stanceStart(contact: Int, limit: Int, history h: SampleHistory) -> Int {
        let end = min(h.index(atOrAfter: h.time(contact) + Self.stanceStartSearchS), limit, h.lastIndex)
        var best = contact
        var i = contact
        while i <= end {
            if h.knee(i) < h.knee(best) {
                best = i
            } else if h.knee(i) >= h.knee(best) + Self.stillExtendingDeg {
                break
            }
            i += 1
        }
        return best
    }

    /// Whether the knee flexes from `low` up to 80 % of the way to `peak` without pausing: once it is
    /// flexing fast, its speed never drops below 30 % of the fastest so far. Running's swing flexion is one
    /// continuous whip; walking's heel-off makes a quick small bend, pauses, then flexes into the swing.
    func risesWithoutPause(from low: Int, to peak: Int, history h: SampleHistory) -> Bool {
        let target = h.knee(low) + 0.8 * (h.knee(peak) - h.knee(low))
        var fastest = 0.0
        var i = low + 1
        // `kneeVelocity(i)` sample by sample: the start of its span only moves forward with i, so it is
        // stepped along instead of searched for at every sample (same start, same velocity).
        var spanStart = i <= peak ? h.index(atOrAfter: h.time(i) - Self.velocitySpanS, searchingBackFrom: i) : i
        while i <= peak && h.knee(i) < target {
            let t = h.time(i)
            while h.time(spanStart) < t - Self.velocitySpanS { spanStart += 1 }
            let j = spanStart >= i ? max(i - 1, h.oldestReadable) : spanStart
            let dt = t - h.time(j)
            let v = dt > 0 ? (h.knee(i) - h.knee(j)) / dt : 0
            fastest = max(fastest, v)
            if fastest > Self.swingExtensionDegPerS && v < Self.pauseShare * fastest { return false }
            i += 1
        }
        return true
    }

    /// Depth of the knee's V at `index`: how far the knee stands above it 0.06 s before and after (°).
    func dipSharpness(_ index: Int, history h: SampleHistory) -> Double {
        let t = h.time(index)
        let before = max(h.index(atOrAfter: t - Self.sharpDipSpanS), h.oldestReadable)
        let after = min(h.index(atOrAfter: t + Self.sharpDipSpanS), h.lastIndex)
        return h.knee(before) + h.knee(after) - 2 * h.knee(index)
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
        var straightest = f.kneeAtContactDeg
        var j = max(h.index(atOrAfter: f.contactTime - Self.contactKneeWindowS), h.oldestReadable)
        let landingEnd = min(h.index(atOrAfter: f.contactTime + Self.contactKneeWindowS), toeOff)
        while j <= landingEnd {
            straightest = min(straightest, h.knee(j) - baseline.offset(at: h.time(j)))
            j += 1
        }
        f.straightestKneeNearContactDeg = straightest
        let stanceS = f.toeOffTime - f.contactTime
        let early = min(h.index(atOrAfter: f.contactTime + 0.3 * stanceS), toeOff)
        let late = min(h.index(atOrAfter: f.contactTime + 0.8 * stanceS), toeOff)
        // One pass over the stance: its peak, the lowest knee before and after the peak, and the peak of
        // the loaded part (up to `late`).
        var peak = f.kneeAtContactDeg
        var peakIndex = contact
        var minimumBefore = f.kneeAtContactDeg
        var minimumSoFar = f.kneeAtContactDeg
        var minimumAfter = peak
        var loadedPeak = f.kneeAtContactDeg
        // The stride-wide raw minimum (below) is also taken here and in the swing's pass when the stance lies
        // within the stride, instead of in a pass of its own over the whole stride.
        let strideStart = max(previousSwing, h.oldestReadable)
        let strideEnd = nextSwing ?? toeOff
        let fused = strideStart <= contact && toeOff <= strideEnd
        var rawMinimum = Double.infinity
        var rawMinimumIndex = contact
        /// Keeps the lowest raw knee of the stride and where it lies (for `kneeRiseShare`).
        func noteRaw(_ raw: Double, at index: Int) {
            if raw < rawMinimum {
                rawMinimum = raw
                rawMinimumIndex = index
            }
        }
        var i = contact
        while i <= toeOff {
            let raw = h.knee(i)
            noteRaw(raw, at: i)
            let k = raw - baseline.offset(at: h.time(i))
            minimumSoFar = min(minimumSoFar, k)
            if k > peak {
                peak = k
                peakIndex = i
                minimumBefore = minimumSoFar
                minimumAfter = k
            } else {
                minimumAfter = min(minimumAfter, k)
            }
            if i <= late { loadedPeak = max(loadedPeak, k) }
            i += 1
        }
        f.stancePeakKneeDeg = peak
        f.kneeEarlyStanceDeg = h.knee(early) - baseline.offset(at: h.time(early))
        f.kneeLateStanceDeg = h.knee(late) - baseline.offset(at: h.time(late))
        f.loadedPeakKneeDeg = loadedPeak
        f.stanceMinimumBeforePeakDeg = minimumBefore
        f.extensionAfterPeakDeg = peak - minimumAfter
        let stance = f.toeOffTime - f.contactTime
        f.stancePeakShare = stance > 0 ? (h.time(peakIndex) - f.contactTime) / stance : 0
        // Stride-wide: raw knee minimum and swing peak, impact near contact.
        if fused {
            i = strideStart
            while i < contact {
                noteRaw(h.knee(i), at: i)
                i += 1
            }
        } else {
            rawMinimum = Double.infinity
            i = strideStart
            while i <= strideEnd {
                noteRaw(h.knee(i), at: i)
                i += 1
            }
        }
        var swingPeak = -Double.infinity
        var swingPeakIndex = toeOff
        i = toeOff
        while i <= strideEnd {
            let raw = h.knee(i)
            if fused { noteRaw(raw, at: i) }
            let k = raw - baseline.offset(at: h.time(i))
            if k > swingPeak {
                swingPeak = k
                swingPeakIndex = i
            }
            i += 1
        }
        f.swingPeakKneeDeg = swingPeak
        f.rawKneeMinimumDeg = rawMinimum
        if let nextSwing, nextSwing > strideStart {
            let span = h.time(nextSwing) - h.time(strideStart)
            f.kneeRiseShare = (h.time(nextSwing) - h.time(rawMinimumIndex)) / span
        }
        // Push-off dip: the largest extension (drop from an earlier maximum) between contact and the swing
        // peak. Walking (loading peak → mid-stance) and running (mid-stance → toe-off) show 10–25°; a knee
        // that keeps flexing from contact into the swing (stairs down) shows only noise. Measured on 50 ms
        // means, so a noisy flex sensor (2° RMS) does not fake a dip.
        let loadedEnd = min(h.index(atOrAfter: f.contactTime + 0.8 * stanceS), swingPeakIndex)
        let drops = binnedDrops(
            from: stanceStart(contact: contact, limit: swingPeakIndex, history: h), to: swingPeakIndex,
            loadedEnd: loadedEnd, history: h)
        f.loadedDipDeg = drops.loaded
        f.pushOffDipDeg = drops.largest
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
