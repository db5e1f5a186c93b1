import KneeloadCore
import KneeloadEngine

/// The run along the time axis, gathered sample by sample in bounded memory for the plot. Time is cut into
/// buckets a power of two seconds wide; when a sample falls past the last of `capacity` buckets, neighbours
/// merge pairwise and the width doubles. So memory stays at `capacity` buckets for any run length (an hour
/// at 200 Hz or a day), adding a sample is amortised O(1), and nothing is allocated once the array has
/// reached its capacity. With the default 4096 buckets a 1200-pixel-wide plot always has at least one
/// bucket per pixel column once the run is long enough to need merging.
public struct RunTrace: Sendable {
    public let capacity: Int
    /// Time of the first sample; bucket `i` covers `origin + i·bucketWidth ..< origin + (i+1)·bucketWidth`.
    public private(set) var origin: Double?
    public private(set) var lastTime: Double?
    public private(set) var bucketWidth: Double
    public private(set) var buckets: [TraceBucket] = []

    /// `initialBucketWidthS` is rounded to a power of two so that merged buckets stay aligned.
    public init(capacity: Int = 4096, initialBucketWidthS: Double = 1.0 / 256) {
        self.capacity = max(capacity, 2)
        bucketWidth = Double(sign: .plus, exponent: max(initialBucketWidthS, 1e-6).exponent, significand: 1)
    }

    /// Seconds from the first sample to the last.
    public var durationS: Double {
        guard let origin, let lastTime else { return 0 }
        return lastTime - origin
    }

    /// Adds one sample. Non-finite values, and samples before the first, are left out (the engine rejects
    /// them too).
    public mutating func add(time: Double, kneeFlexDeg: Double, loadLastMinuteBWs: Double, sessionLoadBWs: Double) {
        guard time.isFinite, kneeFlexDeg.isFinite, loadLastMinuteBWs.isFinite, sessionLoadBWs.isFinite else { return }
        if origin == nil {
            origin = time
            buckets.reserveCapacity(capacity)
        }
        guard let origin, time >= origin else { return }
        lastTime = max(lastTime ?? time, time)
        var index = Int(((time - origin) / bucketWidth).rounded(.down))
        while index >= capacity {
            mergePairs()
            index = Int(((time - origin) / bucketWidth).rounded(.down))
        }
        while buckets.count <= index { buckets.append(TraceBucket()) }
        buckets[index].add(kneeFlexDeg: kneeFlexDeg, loadLastMinuteBWs: loadLastMinuteBWs, sessionLoadBWs: sessionLoadBWs)
    }

    /// Adds a sample as the replay sees it: the knee angle, and the load after the pipeline took it in.
    public mutating func add(_ sample: SensorSample, monitor: LoadMonitor) {
        add(
            time: sample.time, kneeFlexDeg: sample.kneeFlexDeg, loadLastMinuteBWs: monitor.accumulator.loadLastMinuteBWs,
            sessionLoadBWs: monitor.accumulator.sessionLoadBWs)
    }

    /// Halves the number of buckets in place, doubling their width.
    private mutating func mergePairs() {
        let merged = (buckets.count + 1) / 2
        for i in 0..<merged {
            var bucket = buckets[2 * i]
            if 2 * i + 1 < buckets.count { bucket.merge(buckets[2 * i + 1]) }
            buckets[i] = bucket
        }
        buckets.removeLast(buckets.count - merged)
        bucketWidth *= 2
    }
}
