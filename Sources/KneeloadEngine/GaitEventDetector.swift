/// Finds the swing of the instrumented leg, once per stride, in a streaming way.
///
/// With a gyro the marker is mid-swing: the foot swinging forward under the knee turns the shank backward,
/// a large negative sagittal angular rate (CONTRACTS §1 frame). Without a gyro it is the knee's swing flexion
/// peak. Either marker is confirmed by the foot contact that must follow it, or by the swing's own dynamics:
/// squats, sitting down and standing up bend and turn the leg as much but slowly, and land on nothing.
///
/// The detector only marks swings; `StrideAnalyzer` finds contact and toe-off around them in `SampleHistory`.
public struct GaitEventDetector: Sendable {
    // MARK: gyro path
    /// Lowest swing peak accepted (°/s). Mid-swing reaches ~250–400 °/s walking and 600–900 °/s running
    /// (Aminian 2002), but only ~130 °/s in a slow climb up stairs; squatting and sitting down turn the shank
    /// more slowly. Straightening the stance leg onto the top stair can reach ~80 °/s: the knee check below
    /// rejects it.
    static let swingRateFloorDegPerS = 80.0
    /// A swing must reach this share of the recent swing peaks: rejects stance wobble and impact ringing
    /// while following a change from running to walking within one stride.
    static let swingRateShare = 0.3
    /// The lobe ends when the rate rises above this share of the threshold (hysteresis against noise).
    static let lobeExitShare = 0.5
    /// A swing lobe (rate below the exit level) lasts 0.1–0.45 s; a slow backward rotation lasting longer
    /// (standing up from a squat, ~1 s) is not a swing.
    static let maximumLobeS = 0.6
    /// ... and at least this long: a swing takes ≥ 0.25 s, and its lobe stays beyond the exit level for
    /// ≥ 0.12 s even in sprinting. A shorter spike is a knock or a glitch, not a swing.
    static let minimumLobeS = 0.1

    /// A swing flexes the knee: within 0.5 s before the swing's rate peak (0.1 s after) the knee still rises
    /// to its swing peak (walking ~40°, running ~60°; stairs down, after flexing through the stance, still
    /// ≥ 5°). A backward shank rotation with the knee only extending (the stance leg straightening onto the
    /// top stair) is not a swing. 5° is well above the smoothed knee noise.
    static let kneeRiseWindowBeforeS = 0.5
    /// ... or this share of the stride, if longer: 0.5 s is 45 % of a typical 1.1 s walking stride, and a
    /// slower stride flexes into its swing more slowly. At 55 steps/min down stairs (2.3 s strides) the
    /// knee flexes through the whole stance and, plateauing near its swing peak, rises only ~4° in the
    /// 0.5 s before mid-swing, ~25° in the 45 % of the stride before it.
    static let kneeRiseWindowShareOfStride = 0.45
    static let kneeRiseWindowAfterS = 0.1
    static let minimumKneeRiseDeg = 5.0

    // MARK: knee path
    /// The swing flexion peak rises at least this far above the stride's minimum (walking swing ~55°,
    /// running ~90°, stairs ~80°, but only ~35° for people who barely bend the knee on stairs). Squats and
    /// sitting down bend it further; they are rejected by the missing contact, not by this.
    static let minimumSwingFlexionDeg = 25.0
    /// Peak-picking hysteresis as a share of the recent stride knee range, so running's stance flexion
    /// (~30° prominence against a ~100° range) is not taken for a swing.
    static let kneeHysteresisShare = 0.45
    /// Lowest hysteresis (°): well above knee-sensor noise (~1–2°).
    static let kneeHysteresisFloorDeg = 20.0
    /// After running (knee range ~100°, hysteresis ~45°) the first walking swings (~40° for people who
    /// barely bend the knee) would never clear the hysteresis, so a rise of `minimumSwingFlexionDeg` always
    /// starts a peak, and a fall of this share of the peak's own rise always confirms it (a swing extends
    /// back to within ~10 % of its starting knee: stance and terminal swing are nearly straight). Running's
    /// stance flexion passing these too is harmless: its swing peak follows within `dominanceS`.
    static let kneeConfirmingFallShare = 0.9
    /// The swing peak is the stride's highest knee flexion: no higher knee may follow within this time (s).
    /// Running's stance flexion (~50°, downhill ~60°) comes ~0.35–0.4 s before its swing peak (~100°);
    /// the next stride's swing peak is ≥ 0.55 s away even at 200 steps/min.
    static let dominanceS = 0.45

    // MARK: both
    /// A swing marker is confirmed by the foot contact that must follow it, or by the swing's own dynamics.
    /// The contact impact must follow the swing peak (the knee's, or the gyro's mid-swing) within this time
    /// (s): terminal swing lasts 0.15–0.4 s.
    static let impactSearchS = 0.6
    /// The contact ends the swing, so it follows the swing marker (the knee's swing peak, or the gyro's
    /// mid-swing) by less than the whole swing: at most ~41 % of the stride (stance is ≥ 59 % of a walking stride and 65–70 % of a
    /// stair-descent one, Beaulieu 2008, biomech.md §3). In slow gait that is longer than `impactSearchS`:
    /// at 76 steps/min (stride ~1.6 s) the contact comes ~0.5 s after the swing peak, at 55 steps/min down
    /// stairs (~2.2 s) ~0.7 s after it. So a marker waits for its contact this share of the stride (the
    /// time since the previous marker that was a swing or had no contact), at least `impactSearchS`.
    static let swingShareOfStride = 0.41
    /// Smallest acceleration change over 20 ms that counts as a foot contact (g). Heel strike and forefoot
    /// landing change shank acceleration by ≥ 0.5 g within 20 ms; a squat changes it by < 0.05 g.
    static let minimumImpactG = 0.3
    /// Or: smallest acceleration change over 100 ms during the swing (g). A walking or running swing turns
    /// the shank at 250–900 °/s: ≥ 25° per 100 ms, ≥ 0.4 g of gravity direction alone, plus the leg's own
    /// acceleration (centripetal ω²r ≥ 0.4 g at 250 °/s, 0.2 m below the knee); the simulator's swings that
    /// land too softly for the impact test read ≥ 1.5 g. Squatting at even one repetition per second turns
    /// the shank by < 10° (< 0.2 g), and standing up from a squat (≤ ~90 °/s, ~9° per 100 ms) by ~0.15 g plus
    /// the body's lift: ≤ 0.3 g clean, up to 0.45 g with a noisy (0.03 g) accelerometer clipping at ±2 g.
    /// A slow stair swing (~130 °/s) may not reach this either: it is confirmed by its landing.
    static let minimumSwingDynamicsG = 0.7
    /// Two swings of the same leg are at least this far apart (s): strides last ≥ 0.55 s even at 200
    /// steps/min (a stride is two steps), and contact and push-off transients come within ~0.4 s of the swing
    /// peak (a stair-descent landing can ring the shank backward at swing rates ~0.4 s later).
    static let refractoryS = 0.45
    /// Memory of the recent swing amplitude, in seconds without swings (decays back toward the floor).
    static let amplitudeDecayS = 4.0

    public struct Swing: Sendable, Hashable {
        public var index: Int
        public var time: Double
        /// Peak rate (°/s, negative) with a gyro, or peak knee flexion rise (°) without.
        public var strength: Double
    }

    public let usesGyro: Bool
    private var lastSwingTime = -Double.infinity
    private var amplitude = 0.0
    /// Whether a swing has set `amplitude` (a decayed amplitude is not the same as none: see `accept`).
    private var hasAmplitude = false
    private var amplitudeDecay = SmoothingGain(timeConstant: amplitudeDecayS)
    // Gyro lobe state.
    private var inLobe = false
    private var lobeStartTime = 0.0
    private var belowExit = false
    private var belowExitSince = 0.0
    private var lobeThreshold = 0.0
    private var lobeMin = 0.0
    private var lobeMinTime = 0.0
    private var lobeMinIndex = 0
    /// Largest swing dynamics over the lobe, and largest impact since its rate peak.
    private var lobeDynamics = 0.0
    private var impactSinceLobePeak = 0.0
    // Knee peak-picking state.
    private var rising = true
    private var troughValue = Double.infinity
    private var peakValue = -Double.infinity
    private var peakTime = 0.0
    private var peakIndex = 0
    private var peakTrough = 0.0
    private var kneeRange = 60.0
    private var kneePrimed = false
    /// Time of the last swing marker resolved as a swing or for want of a contact (a knee peak), or of the
    /// last gyro lobe shaped like a swing, and the stride estimate (s) from the time between two of them
    /// (kept across bouts, like the amplitudes).
    private var lastMarkerTime = -Double.infinity
    private var markerStrideS = 0.0
    // A swing marker (knee peak or gyro lobe) waiting for its impact.
    private var pending: Swing?
    private var pendingRise = 0.0
    private var pendingValue = 0.0
    private var pendingImpact = 0.0
    private var pendingDynamics = 0.0
    private var pendingImpactWindowS = impactSearchS
    private var riseDynamics = 0.0

    public init(usesGyro: Bool) {
        self.usesGyro = usesGyro
    }

    /// Forgets short-term state (after a gap in the data); learned amplitudes are kept.
    public mutating func reset() {
        inLobe = false
        belowExit = false
        rising = true
        troughValue = .infinity
        peakValue = -.infinity
        pending = nil
        lastSwingTime = -.infinity
        kneePrimed = false
        lastMarkerTime = -.infinity
    }

    /// At the end of the data: a knee peak that already has its contact (or swing dynamics) is a swing, though
    /// its dominance window could not run out; a gyro lobe still waiting for its contact is not.
    public mutating func finishPending() -> Swing? {
        defer { pending = nil }
        guard let candidate = pending, !usesGyro,
            pendingImpact >= Self.minimumImpactG || pendingDynamics >= Self.minimumSwingDynamicsG
        else { return nil }
        lastSwingTime = candidate.time
        return candidate
    }

    /// Time of a swing marker not confirmed yet, if any: one waiting for its contact, or a gyro lobe or a
    /// knee swing peak (risen by `minimumSwingFlexionDeg`) still forming.
    public var unconfirmedSwingTime: Double? {
        if let pending { return pending.time }
        if usesGyro { return inLobe ? lobeMinTime : nil }
        return rising && peakValue - peakTrough >= Self.minimumSwingFlexionDeg ? peakTime : nil
    }

    /// Current gyro threshold (°/s, positive).
    public var rateThreshold: Double {
        max(Self.swingRateFloorDegPerS, Self.swingRateShare * amplitude)
    }

    /// Whether `process` reads the sample's swing dynamics, for a sample with this angular rate: the knee path
    /// always does; the gyro path only within a lobe or where one starts, at a rate beyond the threshold,
    /// which is never below the floor. The engine skips measuring them otherwise.
    func readsSwingDynamics(rate: Double) -> Bool {
        !usesGyro || inLobe || rate < -Self.swingRateFloorDegPerS
    }

    /// Feeds the newest sample (already appended to the history); returns a swing when one is confirmed.
    public mutating func process(
        index: Int, time: Double, dt: Double, rate: Double, knee: Double, impact: Double, swingDynamics: Double,
        history: SampleHistory
    ) -> Swing? {
        process(
            index: index, time: time, amplitudeDecay: amplitudeDecay.alpha(dt: dt), rate: rate, knee: knee,
            impact: impact, swingDynamics: swingDynamics, history: history)
    }

    /// `process` with the amplitude memory's gain for this interval computed by the caller (`SampleGains`).
    mutating func process(
        index: Int, time: Double, amplitudeDecay alpha: Double, rate: Double, knee: Double, impact: Double,
        swingDynamics: Double, history: SampleHistory
    ) -> Swing? {
        // Decaying through hours without a swing, the amplitude would end as a subnormal number.
        amplitude = (amplitude * (1 - alpha)).flushedIfNegligible
        return usesGyro
            ? processRate(
                index: index, time: time, rate: rate, impact: impact, dynamics: swingDynamics, history: history)
            : processKnee(index: index, time: time, knee: knee, impact: impact, dynamics: swingDynamics)
    }

    private mutating func processRate(
        index: Int, time: Double, rate: Double, impact: Double, dynamics: Double, history: SampleHistory
    ) -> Swing? {
        var confirmed: Swing?
        // A lobe without swing dynamics waits for its foot contact.
        if let candidate = pending {
            if time - candidate.time > pendingImpactWindowS {
                pending = nil
            } else if impact >= Self.minimumImpactG {
                confirmed = accept(candidate)
                pending = nil
            }
        }
        if !inLobe {
            let threshold = rateThreshold
            // The lobe's duration counts from where the rate first went below the exit level, so a slow
            // rotation that only just peaks past the threshold is measured over its whole width.
            if rate < -Self.lobeExitShare * threshold {
                if !belowExit {
                    belowExit = true
                    belowExitSince = time
                }
            } else {
                belowExit = false
            }
            if rate < -threshold && time - lastSwingTime >= Self.refractoryS {
                inLobe = true
                lobeStartTime = belowExit ? belowExitSince : time
                lobeThreshold = threshold
                lobeMin = rate
                lobeMinTime = time
                lobeMinIndex = index
                lobeDynamics = dynamics
                impactSinceLobePeak = impact
            }
            return confirmed
        }
        lobeDynamics = max(lobeDynamics, dynamics)
        impactSinceLobePeak = max(impactSinceLobePeak, impact)
        if rate < lobeMin {
            lobeMin = rate
            lobeMinTime = time
            lobeMinIndex = index
            impactSinceLobePeak = impact
        }
        let duration = time - lobeStartTime
        if rate > -Self.lobeExitShare * lobeThreshold || duration > Self.maximumLobeS {
            inLobe = false
            belowExit = false
            guard duration <= Self.maximumLobeS, duration >= Self.minimumLobeS,
                Self.kneeRoseIntoSwing(
                    at: lobeMinTime,
                    windowBeforeS: max(Self.kneeRiseWindowBeforeS, Self.kneeRiseWindowShareOfStride * markerStrideS),
                    history: history)
            else { return confirmed }
            let swing = Swing(index: lobeMinIndex, time: lobeMinTime, strength: lobeMin)
            startImpactWindow(markerTime: lobeMinTime)
            lastMarkerTime = lobeMinTime
            // A swing shakes the shank (≥ 0.4 g over 100 ms) or ends on a foot contact. Standing up from a
            // squat turns the shank backward as fast as a slow stair swing, but smoothly, onto nothing.
            if lobeDynamics >= Self.minimumSwingDynamicsG || impactSinceLobePeak >= Self.minimumImpactG {
                pending = nil
                return accept(swing)
            }
            pending = swing
        }
        return confirmed
    }

    /// Sizes the contact wait of a new swing marker from the time since the previous one.
    private mutating func startImpactWindow(markerTime: Double) {
        if markerTime - lastMarkerTime <= KneeLoadEngine.maximumStrideS {
            markerStrideS = markerTime - lastMarkerTime
        }
        pendingImpactWindowS = max(Self.impactSearchS, Self.swingShareOfStride * markerStrideS)
    }

    /// Takes a gyro lobe as a swing: it starts the refractory time and updates the swing amplitude.
    private mutating func accept(_ swing: Swing) -> Swing {
        lastSwingTime = swing.time
        amplitude = hasAmplitude ? amplitude + 0.4 * (-swing.strength - amplitude) : -swing.strength
        hasAmplitude = true
        return swing
    }

    /// Whether the knee (raw, in the history) rose by `minimumKneeRiseDeg` to a maximum inside the window
    /// around a gyro swing peak: a maximum at the window's start means the knee was only extending.
    static func kneeRoseIntoSwing(
        at peakTime: Double, windowBeforeS: Double = kneeRiseWindowBeforeS, history h: SampleHistory
    ) -> Bool {
        let from = h.index(atOrAfter: peakTime - windowBeforeS)
        let to = min(h.index(atOrAfter: peakTime + kneeRiseWindowAfterS), h.lastIndex)
        guard from < to else { return true }
        var lowest = h.knee(from)
        var rise = 0.0
        var i = from
        while i <= to {
            let k = h.knee(i)
            lowest = min(lowest, k)
            rise = max(rise, k - lowest)
            i += 1
        }
        return rise >= minimumKneeRiseDeg
    }

    private mutating func processKnee(
        index: Int, time: Double, knee: Double, impact: Double, dynamics: Double
    ) -> Swing? {
        var confirmed: Swing?
        // Resolve a knee peak that is waiting for its contact and for its dominance window to pass.
        if let candidate = pending {
            let age = time - candidate.time
            if age <= pendingImpactWindowS {
                pendingImpact = max(pendingImpact, impact)
                pendingDynamics = max(pendingDynamics, dynamics)
            }
            if knee > pendingValue {
                // A higher knee follows within the dominance window: the candidate was a stance hump.
                // The higher peak will be picked up as a candidate of its own.
                pending = nil
            } else if age >= Self.dominanceS {
                if pendingImpact >= Self.minimumImpactG || pendingDynamics >= Self.minimumSwingDynamicsG {
                    confirmed = candidate
                    lastSwingTime = candidate.time
                    kneeRange += 0.3 * (pendingRise - kneeRange)
                    lastMarkerTime = candidate.time
                    pending = nil
                } else if age > pendingImpactWindowS {
                    lastMarkerTime = candidate.time
                    pending = nil
                }
                // Else a slow swing's contact is still to come: keep waiting for it.
            }
        }
        if !kneePrimed {
            kneePrimed = true
            peakTrough = knee
            peakValue = knee
            peakTime = time
            peakIndex = index
        }
        let hysteresis = max(Self.kneeHysteresisFloorDeg, Self.kneeHysteresisShare * kneeRange)
        if rising {
            riseDynamics = max(riseDynamics, dynamics)
            if knee > peakValue {
                peakValue = knee
                peakTime = time
                peakIndex = index
            }
            if knee < peakValue - min(hysteresis, Self.kneeConfirmingFallShare * (peakValue - peakTrough)) {
                // A peak is confirmed by the fall after it.
                let rise = peakValue - peakTrough
                if rise >= Self.minimumSwingFlexionDeg && peakTime - lastSwingTime >= Self.refractoryS
                    && peakValue > (pending == nil ? -Double.infinity : pendingValue)
                {
                    pending = Swing(index: peakIndex, time: peakTime, strength: rise)
                    startImpactWindow(markerTime: peakTime)
                    pendingRise = rise
                    pendingValue = peakValue
                    pendingImpact = impact
                    pendingDynamics = riseDynamics
                }
                rising = false
                troughValue = knee
            }
        } else {
            if knee < troughValue { troughValue = knee }
            if knee > troughValue + min(hysteresis, Self.minimumSwingFlexionDeg) {
                rising = true
                riseDynamics = dynamics
                peakTrough = troughValue
                peakValue = knee
                peakTime = time
                peakIndex = index
            }
        }
        return confirmed
    }
}
