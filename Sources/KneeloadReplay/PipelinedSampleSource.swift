import Dispatch
import KneeloadCore

/// Reads a replay's samples on a second thread while the caller's thread runs the pipeline: parsing or
/// decoding and `LoadMonitor` then overlap on two cores, so a replay runs at the pace of the slower of the
/// two instead of their sum. Samples arrive in the same order as from `Base` itself, and an input error
/// arrives after the last sample read before it, so the replay's output does not change.
struct PipelinedSampleSource<Base: ReplaySampleSource>: ReplaySampleSource {
    static var format: String { Base.format }

    let hasGyro: Bool
    let hasPressure: Bool
    /// The reader's progress as it stood after the batch being consumed was read.
    var fractionRead: Double { cursor.fraction }

    /// The reader thread's lifetime hangs on `owner`.
    private let owner: Owner
    private var cursor: BatchPipe<SensorSample, Void>.Cursor

    init(_ base: Base) {
        hasGyro = base.hasGyro
        hasPressure = base.hasPressure
        let pipe = BatchPipe<SensorSample, Void>(extra: {})
        let reader = Reader(base: base)
        owner = Owner(pipe: pipe, reader: reader)
        cursor = BatchPipe.Cursor(pipe)
        DispatchQueue(label: "kneeload.replay-reader").async { reader.read(into: pipe) }
    }

    /// The reader's state, used on its thread only until the last batch is handed over.
    private final class Reader: @unchecked Sendable {
        var base: Base

        init(base: Base) { self.base = base }

        func read(into pipe: BatchPipe<SensorSample, Void>) {
            pipe.produce { samples, _ in Self.fill(samples, batchSize: pipe.batchSize, from: &base) }
        }

        /// One batch from `base`, taken as one inout access: reading the class's property sample by sample
        /// would check exclusive access at run time for every sample (~80 instructions each).
        private static func fill(
            _ samples: UnsafeMutablePointer<SensorSample>, batchSize: Int, from base: inout Base
        ) -> BatchPipe<SensorSample, Void>.Tail {
            var tail = BatchPipe<SensorSample, Void>.Tail()
            do throws(ReplayError) {
                while tail.count < batchSize {
                    guard let sample = try base.nextSample() else {
                        tail.ended = true
                        break
                    }
                    (samples + tail.count).initialize(to: sample)
                    tail.count += 1
                }
            } catch {
                tail.error = error
                tail.ended = true
            }
            tail.fraction = base.fractionRead
            return tail
        }
    }

    /// Ends the reader thread when the source goes away, also before the end of the input.
    private final class Owner {
        let pipe: BatchPipe<SensorSample, Void>
        let reader: Reader

        init(pipe: BatchPipe<SensorSample, Void>, reader: Reader) {
            self.pipe = pipe
            self.reader = reader
        }

        deinit { pipe.stop() }
    }

    /// The underlying reader once the last sample has been taken (for what it noted along the way, like a
    /// recording's diagnostics).
    var finishedBase: Base? {
        guard cursor.finished else { return nil }
        owner.pipe.waitUntilProduced()
        return owner.reader.base
    }

    /// The next samples in order, at most `maximum` (> 0) of them, as they lie in the batch held: a run that
    /// stays valid until the next call. Nil at the end of the input; an input error is thrown after the last
    /// sample read before it, as from `nextSample`.
    mutating func nextRun(maximum: Int) throws(ReplayError) -> UnsafeBufferPointer<SensorSample>? {
        while cursor.next == cursor.end {
            guard try cursor.advance() else { return nil }
        }
        let count = min(cursor.end - cursor.next, maximum)
        defer { cursor.next += count }
        return UnsafeBufferPointer(start: cursor.next, count: count)
    }

    mutating func nextSample() throws(ReplayError) -> SensorSample? {
        while cursor.next == cursor.end {
            guard try cursor.advance() else { return nil }
        }
        defer { cursor.next += 1 }
        return cursor.next.pointee
    }
}
