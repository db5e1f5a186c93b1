import KneeloadCore

/// The streaming knee-load engine: samples in (CONTRACTS §1 frame and units), step events and running
/// totals out. Pure: no I/O, no clock reads; the same samples always give the same events.
///
/// Per sample it learns the sample timing, the sensor's upright pose and the knee sensor's zero drift,
/// looks for the instrumented leg's swing, and between gait bouts integrates the quasi-static load of
/// standing and squatting. Once per stride it measures the stance around the swing markers, classifies the
/// stride (walking, running, stairs up or down) and computes that step's load. Step events are emitted one
/// stride late, because a stair-descent stride only counts when its neighbour is one too; each event still
/// carries its own contact time, and events come out in time order.
public struct KneeLoadEngine: Sendable {
    /// Longest stride accepted between two swings (s): slow stair descent at ~50 steps/min. A longer pause
    /// ends the bout, and its last step is completed with the previous stride's timing.
    static let maximumStrideS = 2.5
    /// A bout's last contact needs this much stance in the data (s) to count as a step: the shortest
    /// stance, sprinting, lasts ~0.2 s; a "contact" in the last few samples of a recording that ends
    /// mid-swing is the swing's own end, or a landing that cannot be measured.
    static let minimumRecordedStanceS = 0.1
    /// Gait counts as under way this long after the last swing (s); outside it, quasi-static load applies.
    static let gaitHoldS = 2.5
    /// Before any stride is seen: a typical walking stride (s) and duty factor.
    static let defaultStrideS = 1.1
    static let defaultDutyFactor = 0.62
    /// Stance share of a stair-descent stride, 65–70 % (Beaulieu 2008, biomech.md §3).
    static let stairDutyFactor = 0.65
    /// Knee low-pass (s): removes sensor noise (1–2° at up to 1000 Hz) but keeps a 0.1 s swing peak.
    static let kneeSmoothingS = 0.015
    /// Gyro low-pass (s): keeps mid-swing (a ~0.3 s lobe) and the contact transient's timing.
    static let rateSmoothingS = 0.01
    /// Barometer low-pass (s): averages its noise (~1–2 Pa) to well below a stair flight's ~2 Pa per step.
    static let pressureSmoothingS = 0.5
    /// Knee while standing quietly (°): nearly straight.
    static let standingKneeDeg = 1.0
    /// Quasi-static load needs the shank inclined no further than the knee is bent (+ this tolerance, °):
    /// with the thigh at or above horizontal, shank inclination ≤ knee flexion. Lying or sitting with the
    /// leg stretched out breaks it and is no load.
    static let quasiStaticInclinationToleranceDeg = 5.0
    /// Acceleration change over 100 ms (g) below which the shank counts as moving slowly enough for the
    /// quasi-static load: squatting at one repetition per second stays under ~0.15 g, a stride exceeds 0.4 g.
    static let quasiStaticDynamicsLimitG = 0.25
    /// Longest gap in the data (s) bridged (`fillHistory`) instead of ending the bout. Wireless IMUs and
    /// phones drop runs of a few samples every few seconds, and an I2C retry costs tens of milliseconds;
    /// restarting the gait detection at each such hole loses the strides around it (a few dropped samples
    /// every 5 s lost ~7 % of the steps in the random-wearer probe). A hole this short hides at most one
    /// contact or one swing peak (a swing lobe lasts 0.1–0.45 s, a stride ≥ 0.55 s), so the strides on either
    /// side are still measured; a longer one ends the bout as before.
    static let bridgeableGapS = 0.3
    /// Look-back held in `SampleHistory` (s): two of the longest strides.
    static let historySeconds = 2 * maximumStrideS + 0.5

    public let configuration: EngineConfiguration
    private var counters = EngineTotals()
    public private(set) var timing = SampleTiming()
    public private(set) var calibration = UprightCalibration()
    public private(set) var baseline = KneeBaseline()

    private let load: PatellofemoralLoad
    private(set) var history: SampleHistory
    private var impactMeter = ImpactMeter()
    private var pressureFilter = LowPassFilter(timeConstant: pressureSmoothingS)
    private var kneeFilter = LowPassFilter(timeConstant: kneeSmoothingS)
    private var rateFilter = LowPassFilter(timeConstant: rateSmoothingS)
    /// The gains of the three filters above, the calibration's short means and the detector's amplitude memory,
    /// for the current interval.
    private var gains = SampleGains()
    /// Whether the samples carry a gyro (a byte, compared per sample, instead of an optional Bool).
    private var gyroState = GyroState.unknown
    private var detector = GaitEventDetector(usesGyro: true)
    private var analyzer = StrideAnalyzer(usesGyro: true)
    private var previousSwing: GaitEventDetector.Swing?
    private var lastSwingTime = -Double.infinity
    private var lastPeriodS = defaultStrideS
    private var lastDutyFactor = defaultDutyFactor
    private var pending: PendingStep?
    /// Whether the step emitted just before the pending one was a descent step.
    private var precedingWasDescent = false
    private var lastDescentStepTime = -Double.infinity
    /// The last classified stride of the current bout, for inspection and tests.
    public private(set) var lastStride: StrideFeatures?
    public private(set) var lastStrideMode: GaitMode?

    private enum GyroState: UInt8 {
        case unknown, absent, present
    }

    private struct PendingStep {
        var plain: StepLoad
        var asDescent: StepLoad
        var candidate: Bool
        var descent: Bool
        /// The last step of a bout, completed without a following swing.
        var final = false
    }

    /// A new engine; with `calibration` (saved from an earlier run of the same session, and without a
    /// `problem`) it starts from what that run had learned about the sensors' placement instead of nominal.
    public init(configuration: EngineConfiguration = EngineConfiguration(), calibration saved: EngineCalibration? = nil) {
        self.configuration = configuration
        load = PatellofemoralLoad(configuration: configuration)
        history = SampleHistory(lookBackSeconds: Self.historySeconds)
        if let saved, saved.problem == nil {
            calibration = UprightCalibration(restoring: saved)
            baseline = KneeBaseline(restoring: saved)
        }
    }

    /// What the engine has learned about the sensors' placement, for the daemon's checkpoints.
    public var learnedCalibration: EngineCalibration {
        var saved = EngineCalibration.unlearned
        calibration.save(into: &saved)
        baseline.save(into: &saved)
        return saved
    }

    // MARK: per sample

    public mutating func process(_ sample: SensorSample, events: inout EventBuffer) {
        // First, while nothing else is held in registers (the check is a runtime call).
        prepareHistory()
        processPrepared(sample, events: &events)
    }

    /// Processes a run of samples in order: the same as `process(_:events:)` for each, with the history's
    /// uniqueness check done once for the run instead of once per sample.
    public mutating func process(contentsOf samples: UnsafeBufferPointer<SensorSample>, events: inout EventBuffer) {
        prepareHistory()
        for sample in samples { processPrepared(sample, events: &events) }
    }

    /// Makes the history's storage this engine's own, as `processPrepared` needs (the engine may have been
    /// copied since the last call).
    @inline(__always)
    mutating func prepareHistory() { history.prepareForAppend() }

    /// `process` after `prepareHistory()`, with no copy of this engine made since (a copy would
    /// share the history's storage). Returns whether the sample was accepted.
    @inline(__always) @discardableResult
    mutating func processPrepared(_ sample: SensorSample, events: inout EventBuffer) -> Bool {
        guard Self.isFinite(sample) else {
            counters.rejectedSamples += 1
            return false
        }
        let dt: Double
        switch timing.accept(finite: sample.time) {
        case .invalid:
            counters.rejectedSamples += 1
            return false
        case .first:
            dt = 0.01
        case .normal(let interval):
            dt = interval
        case .gap(let interval, let dropped):
            if interval <= Self.bridgeableGapS && !history.isEmpty {
                fillHistory(before: sample, interval: interval, missing: dropped)
                dt = interval
            } else {
                dt = endBoutAtGap(events: &events)
            }
        }
        let hasGyro = sample.gyro != nil
        let gyroState: GyroState = hasGyro ? .present : .absent
        if self.gyroState != gyroState {
            if self.gyroState != .unknown { endBout(events: &events) }
            self.gyroState = gyroState
            detector = GaitEventDetector(usesGyro: hasGyro)
            analyzer = StrideAnalyzer(usesGyro: hasGyro)
        }
        let t = sample.time
        // On the first sample every filter takes the sample as is, without a gain, as in `LowPassFilter`.
        if counters.samples > 0 { gains.update(dt: dt) }
        let rawKnee = kneeFilter.update(sample.kneeFlexDeg, alpha: gains.knee)
        let gaitActive = t - lastSwingTime < Self.gaitHoldS
        // The corrected knee is read by the knee-only detector and by the quasi-static load outside gait, and
        // by the calibration when the shank is steady; elsewhere (0) its offset is not worked out.
        let kneeRead = !gaitActive || !detector.usesGyro
        let knee = kneeRead ? rawKnee - baseline.offset(at: t) : 0
        calibration.update(
            accel: sample.accel, gyro: sample.gyro, dt: dt, shortMeanAlpha: gains.shortMean,
            kneeDeg: kneeRead ? knee : rawKnee - baseline.offset(at: t))
        if calibration.isQuietStanding && !gaitActive {
            baseline.observeStanding(rawDeg: rawKnee, expectedDeg: Self.standingKneeDeg, dt: dt, at: t)
        }
        var rate = 0.0
        if let gyro = sample.gyro {
            rate = rateFilter.update(calibration.sagittalRate(gyro), alpha: gains.rate)
        }
        let impact = impactMeter.contactChange(time: t, accel: sample.accel, history: history)
        // The swing dynamics are read by the detector within a gyro lobe (or always, without a gyro) and by the
        // quasi-static load outside gait; elsewhere (0) they are not measured, and the meter catches up later.
        var swinging = 0.0
        if !gaitActive || detector.readsSwingDynamics(rate: rate) {
            swinging = impactMeter.swingChange(time: t, accel: sample.accel, history: history)
        }
        let pressure = sample.pressurePa.map { pressureFilter.update($0, alpha: gains.pressure) } ?? .nan
        let index = history.nextIndex
        history.appendPrepared(
            time: t, rate: rate, knee: rawKnee, impact: impact, pressure: pressure, accel: sample.accel)

        if let swing = detector.process(
            index: index, time: t, amplitudeDecay: gains.amplitudeDecay, rate: rate, knee: knee, impact: impact,
            swingDynamics: swinging, history: history)
        {
            handleSwing(swing, events: &events)
        } else if let previous = previousSwing, t - previous.time > Self.maximumStrideS,
            t - previous.time > Self.maximumStrideS * (1 + GaitEventDetector.swingShareOfStride)
                || (detector.unconfirmedSwingTime ?? .infinity) - previous.time > Self.maximumStrideS
        {
            // A swing marker within the longest stride that is still forming or waiting for its contact (a
            // slow swing's comes up to 41 % of the stride after it) may yet continue the bout.
            endBout(events: &events)
        }

        // The quasi-static model ignores inertia: it holds while the shank moves slowly (standing,
        // squatting), not in the first stride of a walk before its swing has been recognised.
        // Only a flexed knee over a shank that may lean forward carries load (`quasiStaticForce` is 0
        // otherwise, and adding 0 changes nothing): the trigonometry is skipped for the rest, about half of
        // quiet standing.
        if !gaitActive && swinging < Self.quasiStaticDynamicsLimitG && knee > 0 && calibration.mayLeanForward {
            let (along, across) = calibration.inclinationDirection
            if Self.inclination(along: along, across: across, isAtMostDeg: knee + Self.quasiStaticInclinationToleranceDeg) {
                let force = load.quasiStaticForce(kneeFlexDeg: knee, inclinationAlong: along, across: across)
                let impulse = force * dt
                counters.cumulativeLoadBWs += impulse
                counters.quasiStaticLoadBWs += impulse
                if force > counters.peakBW { counters.peakBW = force }
            }
        }
        counters.samples += 1
        return true
    }

    /// Bridges a short gap (`bridgeableGapS`) of `missing` samples before `sample` in the history, which the
    /// stride measurements read: entries interpolated linearly at even intervals from the last one to the
    /// new sample's raw values (its filters' outputs after the gap, to within their 10–15 ms smoothing),
    /// with no contact transient. The streaming filters and detectors take the gap as one long interval.
    /// Running each interpolated sample through them as well was a little better (390 against 382 of 400
    /// random wearers with bursts of dropped samples within both tolerances, 388 without the bursts), but
    /// any way tried made the run loop 20–25 % slower; so did this fill out of line: the loop must see every
    /// write to the history to keep it in registers.
    @inline(__always)
    private mutating func fillHistory(before sample: SensorSample, interval: Double, missing: Int) {
        let last = history.lastIndex
        let from = (
            time: sample.time - interval, rate: history.rate(last), knee: history.knee(last),
            pressure: history.pressure(last), accel: history.accel(last)
        )
        let toRate = sample.gyro.map { calibration.sagittalRate($0) } ?? from.rate
        let toPressure = sample.pressurePa ?? .nan
        for j in 0..<missing {
            let f = Double(j + 1) / Double(missing + 1)
            func mix(_ a: Double, _ b: Double) -> Double { a + (b - a) * f }
            history.appendPrepared(
                time: mix(from.time, sample.time), rate: mix(from.rate, toRate), knee: mix(from.knee, sample.kneeFlexDeg),
                impact: 0, pressure: mix(from.pressure, toPressure), accel: from.accel + (sample.accel - from.accel) * f)
        }
    }

    /// At a gap too long to bridge: the data stopped, and whatever stride was under way cannot be measured
    /// across the hole. Returns the interval to process the next sample with.
    @inline(never)
    private mutating func endBoutAtGap(events: inout EventBuffer) -> Double {
        if let swing = detector.finishPending() { handleSwing(swing, events: &events) }
        endBout(events: &events)
        history.clear()
        detector.reset()
        return timing.period ?? 0.01
    }

    /// Completes the last step and emits everything still held. Call at the end of a recording.
    public mutating func finish(events: inout EventBuffer) {
        if let swing = detector.finishPending() { handleSwing(swing, events: &events) }
        endBout(events: &events)
    }

    /// Running totals, current after every sample (steps count once their events are emitted).
    public var totals: EngineTotals {
        var t = counters
        t.durationS = timing.duration
        t.sampleRateHz = timing.sampleRateHz
        t.droppedSamples = timing.droppedSamples
        return t
    }

    /// Whether every value is finite. x · 0 is 0 for a finite x and NaN for an infinite or NaN one, and a sum
    /// of zeros stays 0 while one NaN makes it NaN: one comparison per sample instead of one per value.
    /// Samples accepted so far and the knee load so far, as in `totals`: what `LoadMonitor` reads per sample,
    /// without building the whole totals (a division for the rate among them).
    var acceptedSamples: Int { counters.samples }
    var cumulativeLoadBWs: Double { counters.cumulativeLoadBWs }

    @inline(__always)
    private static func isFinite(_ s: SensorSample) -> Bool {
        var zero = s.time * 0 + s.kneeFlexDeg * 0 + s.accel.x * 0 + s.accel.y * 0 + s.accel.z * 0
        if let g = s.gyro { zero += g.x * 0 + g.y * 0 + g.z * 0 }
        if let p = s.pressurePa { zero += p * 0 }
        return zero == 0
    }

    /// Whether φ = atan2(across, along) (across ≥ 0, so 0 ≤ φ ≤ 180°) is at most `limit` degrees, from the
    /// sign of sin(limit − φ) = along · sin(limit) − across · cos(limit) rather than from φ itself.
    @inline(__always)
    private static func inclination(along x: Double, across y: Double, isAtMostDeg limit: Double) -> Bool {
        guard limit < 180 else { return true }
        guard limit >= 0 else { return false }
        let radians = limit * (Double.pi / 180)
        if radians <= 1 {
            // Cheap first: within 1 rad the Taylor polynomials sin κ ≈ κ − κ³/6 + κ⁵/120 and
            // cos κ ≈ 1 − κ²/2 + κ⁴/24 are within 2e-4 and 1.4e-3 of the series' values, so they give the
            // sign for certain unless it lies within (|x| + |y|) · 2e-3 of zero; only then does the series
            // below decide. Same answer, in a quarter of the arithmetic for most samples of standing.
            let k2 = radians * radians
            let roughSine = radians * (1 - k2 * (1.0 / 6) * (1 - k2 * (1.0 / 20)))
            let roughCosine = 1 - k2 * 0.5 * (1 - k2 * (1.0 / 12))
            let rough = x * roughSine - y * roughCosine
            let margin = (abs(x) + abs(y)) * 2e-3
            if rough > margin { return true }
            if rough < -margin { return false }
        }
        let sine = SineSeries.sine(upToHalfTurn: radians)
        // cos κ = sin(π/2 − κ), an argument within ±π/2.
        let cosine = SineSeries.sine(upToQuarterTurn: Double.pi / 2 - radians)
        return x * sine - y * cosine >= 0
    }

    // MARK: per stride

    private mutating func handleSwing(_ swing: GaitEventDetector.Swing, events: inout EventBuffer) {
        lastSwingTime = swing.time
        if let previous = previousSwing {
            let period = swing.time - previous.time
            if period <= Self.maximumStrideS {
                completeStride(from: previous, to: swing, periodS: period, events: &events)
            } else {
                endBout(events: &events)
            }
        }
        previousSwing = swing
    }

    /// Ends the current bout: the last swing's step is completed with the previous stride's timing.
    private mutating func endBout(events: inout EventBuffer) {
        if let previous = previousSwing {
            completeStride(from: previous, to: nil, periodS: lastPeriodS, events: &events)
            // The contact that ends a bout closes whatever run it ends: stepping off the last stair onto
            // the landing is the flight's last descent step, though its stance (standing still) is not a
            // lowering. Its stride features cannot tell, so it follows the run it ends.
            if var last = pending, last.final, precedingWasDescent {
                last.descent = true
                pending = last
            }
        }
        previousSwing = nil
        if let p = pending { emit(p, events: &events) }
        pending = nil
    }

    private mutating func completeStride(
        from previous: GaitEventDetector.Swing, to next: GaitEventDetector.Swing?, periodS: Double,
        events: inout EventBuffer
    ) {
        guard history.holds(previous.index), !history.isEmpty else { return }
        let contact = analyzer.contact(after: previous.index, history: history, expectedPeriodS: periodS)
        if next == nil && history.time(history.lastIndex) - history.time(contact) < Self.minimumRecordedStanceS {
            return
        }
        var toeOff: Int
        var measured = true
        if let next, let found = analyzer.toeOff(contact: contact, nextSwing: next.index, history: history) {
            toeOff = found
        } else {
            measured = false
            // Without a measured toe-off: stairs down (the knee-only path finds no push-off) stand ~65 % of
            // the stride (Beaulieu 2008); at the end of a bout, the previous stride's duty factor.
            let duty = next != nil ? Self.stairDutyFactor : lastDutyFactor
            let end = history.time(contact) + duty * periodS
            toeOff = min(history.index(atOrAfter: end), history.lastIndex)
            // The foot is off the ground by the next swing marker, whatever the typical duty factor says.
            if let next { toeOff = min(toeOff, next.index - 1) }
        }
        guard toeOff > contact else { return }
        if baseline.measurements == 0 {
            // Nothing known about the knee sensor's zero yet: seed it from this stride as if it were walking.
            var rawMinimum = Double.infinity
            var i = max(previous.index, history.oldestReadable)
            let end = next?.index ?? toeOff
            while i <= end {
                rawMinimum = min(rawMinimum, history.knee(i))
                i += 1
            }
            baseline.observeStrideMinimum(
                rawMinimumDeg: rawMinimum, expectedDeg: StrideClassifier.expectedMinimumKneeDeg(.walking),
                at: history.time(contact))
        }
        var features = analyzer.features(
            contact: contact, toeOff: toeOff, previousSwing: previous.index, nextSwing: next?.index,
            periodS: periodS, baseline: baseline, history: history)
        features.toeOffMeasured = measured
        let (mode, candidate) = StrideClassifier.classify(features, continuingDescent: pending?.candidate ?? false)
        baseline.observeStrideMinimum(
            rawMinimumDeg: features.rawKneeMinimumDeg, expectedDeg: StrideClassifier.expectedMinimumKneeDeg(mode),
            at: history.time(next?.index ?? toeOff))
        if measured {
            lastPeriodS = periodS
            lastDutyFactor = min(max(features.dutyFactor, 0.25), 0.75)
        }
        lastStride = features
        lastStrideMode = mode
        let plainMode: GaitMode = mode == .stairDescent ? .walking : mode
        // A bout's last step can only be a descent by following its run; its load then uses the descent
        // lever arm, so it needs both loads too.
        let (plain, descentLoad) = stepLoads(features, mode: plainMode, alsoDescent: candidate || next == nil)
        var step = PendingStep(
            plain: plain, asDescent: descentLoad ?? plain, candidate: candidate, descent: false)
        step.final = next == nil
        precedingWasDescent = false
        if var p = pending {
            // Two descent-like strides in a row open (or continue) a run of descent steps.
            if p.candidate && candidate {
                p.descent = true
                step.descent = true
            }
            precedingWasDescent = p.descent
            emit(p, events: &events)
        }
        pending = step
    }

    /// Peak force and impulse over the stance, from the knee angle held in the history, in `mode` and, when
    /// asked, also as a stair-descent step: one pass shares the knee angle, its sine and k/MA between the two.
    private func stepLoads(_ f: StrideFeatures, mode: GaitMode, alsoDescent: Bool) -> (StepLoad, StepLoad?) {
        let stance = f.stanceS
        let flight = f.flightS
        let doubleSupport = max(0, (f.dutyFactor - 0.5)) * f.periodS
        let lever = load.gaitLeverArm(mode)
        let descentLever = load.gaitLeverArm(.stairDescent)
        var peak = 0.0, impulse = 0.0
        var descentPeak = 0.0, descentImpulse = 0.0
        var i = f.contactIndex
        var previousTime = history.time(i)
        while i <= f.toeOffIndex {
            let t = history.time(i)
            let interval = t - previousTime
            let angle = PatellofemoralLoad.GaitAngle(kneeFlexDeg: history.knee(i) - baseline.offset(at: t))
            let sinceContact = t - f.contactTime
            let grf = PatellofemoralLoad.groundReaction(
                sinceContact: sinceContact, contactS: stance, flightS: flight, doubleSupportS: doubleSupport,
                mode: mode)
            let force = angle.force(groundReactionBW: grf, leverArm: lever)
            peak = max(peak, force)
            impulse += force * interval
            if alsoDescent {
                // Stair descent's ground reaction is walking's (only running's differs).
                let descentGRF = mode == .running
                    ? PatellofemoralLoad.groundReaction(
                        sinceContact: sinceContact, contactS: stance, flightS: flight,
                        doubleSupportS: doubleSupport, mode: .stairDescent)
                    : grf
                let descentForce = angle.force(groundReactionBW: descentGRF, leverArm: descentLever)
                descentPeak = max(descentPeak, descentForce)
                descentImpulse += descentForce * interval
            }
            previousTime = t
            i += 1
        }
        let plain = StepLoad(time: f.contactTime, peakBW: peak, impulseBWs: impulse)
        guard alsoDescent else { return (plain, nil) }
        return (plain, StepLoad(time: f.contactTime, peakBW: descentPeak, impulseBWs: descentImpulse))
    }

    private mutating func emit(_ p: PendingStep, events: inout EventBuffer) {
        let step = p.descent ? p.asDescent : p.plain
        events.append(.step(step))
        counters.steps += 1
        counters.cumulativeLoadBWs += step.impulseBWs
        if step.peakBW > counters.peakBW { counters.peakBW = step.peakBW }
        if p.descent {
            events.append(.stairDescentStep(step))
            counters.stairDescentSteps += 1
            // CONTRACTS §1: a flight is a run of descent steps with no gap over 4 s between neighbours.
            if step.time - lastDescentStepTime > 4 { counters.stairDescentFlights += 1 }
            lastDescentStepTime = step.time
        }
    }
}
