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

    /// Processes a run of samples like `process(contentsOf:events:)` and says what `LoadAccounting.accept`
    /// needs of each sample the engine accepted (a refused sample is not accounted): writes one
    /// `AcceptedSample` per accepted sample from `accepted` on (room for `samples.count` is needed) and
    /// returns how many it wrote. The events go to `events`, those of the written samples one after another,
    /// `eventCount` at a time. For pipelines that run the engine and the accounting on different threads
    /// (`kneeload replay`); `LoadMonitor` does the same within one, sample by sample.
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
