import KneeloadCore

extension KneeLoadEngine {
    /// What `LoadAccounting.accept` needs from one sample the engine accepted: its time, the engine's
    /// cumulative load after it, and how many events the engine emitted with it.
    public struct AcceptedSample: Sendable, Equatable {
        public var t: Double
        public var engineLoadBWs: Double
        public var eventCount: Int

        public init(t: Double, engineLoadBWs: Double, eventCount: Int) {
            self.t = t
            self.engineLoadBWs = engineLoadBWs
            self.eventCount = eventCount
        }
    }

    /// Processes one sample like `process(_:events:)` and says what `LoadAccounting.accept` needs: the
    /// engine's cumulative load after the sample when the engine accepted it, nil when it refused it (a
    /// refused sample is not accounted). For pipelines that run the engine and the accounting on different
    /// threads (`kneeload replay`); `LoadMonitor` does the same within one.
    public mutating func processForAccounting(_ sample: SensorSample, events: inout EventBuffer) -> Double? {
        let acceptedBefore = acceptedSamples
        process(sample, events: &events)
        return acceptedSamples != acceptedBefore ? cumulativeLoadBWs : nil
    }

    /// `processForAccounting` over a run of samples, in order, with the history's uniqueness check done once
    /// for the run: appends the events to `events` and writes one `AcceptedSample` per accepted sample from
    /// `accepted` on (room for `samples.count` is needed); returns how many it wrote. The events of the
    /// written samples follow one another in `events` in the same order, `eventCount` at a time.
    public mutating func processForAccounting(
        _ samples: UnsafeBufferPointer<SensorSample>, events: inout EventBuffer,
        accepted: UnsafeMutablePointer<AcceptedSample>
    ) -> Int {
        prepareHistory()
        var written = 0
        for sample in samples {
            let eventsBefore = events.count
            guard processPrepared(sample, events: &events) else { continue }
            (accepted + written).initialize(
                to: AcceptedSample(t: sample.time, engineLoadBWs: cumulativeLoadBWs, eventCount: events.count - eventsBefore))
            written += 1
        }
        return written
    }
}
