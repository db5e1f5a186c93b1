import KneeloadCore

extension KneeLoadEngine {
    /// Processes one sample like `process(_:events:)` and says what `LoadAccounting.accept` needs: the
    /// engine's cumulative load after the sample when the engine accepted it, nil when it refused it (a
    /// refused sample is not accounted). For pipelines that run the engine and the accounting on different
    /// threads (`kneeload replay`); `LoadMonitor` does the same within one.
    public mutating func processForAccounting(_ sample: SensorSample, events: inout EventBuffer) -> Double? {
        let acceptedBefore = acceptedSamples
        process(sample, events: &events)
        return acceptedSamples != acceptedBefore ? cumulativeLoadBWs : nil
    }
}
