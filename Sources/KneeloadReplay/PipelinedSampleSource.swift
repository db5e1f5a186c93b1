import Dispatch
import KneeloadCore
import Synchronization

/// Reads a replay's samples on a second thread while the caller's thread runs the pipeline: parsing or
/// decoding and `LoadMonitor` then overlap on two cores, so a replay runs at the pace of the slower of the
/// two instead of their sum. Samples arrive in the same order as from `Base` itself, and an input error
/// arrives after the last sample read before it, so the replay's output does not change.
///
/// The reader runs ahead by at most `Channel.slotCount` batches (fixed memory), handed over through two
/// semaphores: `free` counts batches the reader may fill, `filled` batches the caller may take.
struct PipelinedSampleSource<Base: ReplaySampleSource>: ReplaySampleSource {
    static var format: String { Base.format }

    let hasGyro: Bool
    let hasPressure: Bool
    /// The reader's progress as it stood after the batch being consumed was read.
    private(set) var fractionRead = 0.0

    /// A struct with its position in stored properties (a class's would be checked for exclusive access on
    /// every sample); the reader thread's lifetime hangs on `owner`.
    private let owner: Owner
    private var channel: Channel { owner.channel }
    /// The caller's position: the batch it holds (if any), the next sample in it and the batch's end.
    private var slot = 0
    private var next: UnsafeMutablePointer<SensorSample>
    private var end: UnsafeMutablePointer<SensorSample>
    private var holding = false
    private var finished = false

    init(_ base: Base) {
        hasGyro = base.hasGyro
        hasPressure = base.hasPressure
        let channel = Channel(base: base)
        owner = Owner(channel: channel)
        next = channel.samples
        end = channel.samples
        DispatchQueue(label: "kneeload.replay-reader").async { channel.readAhead() }
    }

    /// Ends the reader thread when the source goes away, also before the end of the input.
    private final class Owner {
        let channel: Channel

        init(channel: Channel) { self.channel = channel }

        deinit {
            // The reader sees `stop` after its current batch and leaves.
            channel.stop.store(true, ordering: .relaxed)
            channel.free.signal()
            channel.done.wait()
            channel.release()
        }
    }

    /// The underlying reader once the last sample has been taken (for what it noted along the way, like a
    /// recording's diagnostics).
    var finishedBase: Base? {
        guard finished else { return nil }
        channel.done.wait()
        channel.done.signal()
        return channel.base
    }

    mutating func nextSample() throws(ReplayError) -> SensorSample? {
        if next < end {
            defer { next += 1 }
            return next.pointee
        }
        return try nextBatch()
    }

    /// Hands the finished batch back and takes the next one; its first sample, or the end of the input.
    private mutating func nextBatch() throws(ReplayError) -> SensorSample? {
        while true {
            if holding {
                if next < end {
                    defer { next += 1 }
                    return next.pointee
                }
                if channel.batches[slot].ended {
                    finished = true
                    holding = false
                    if let error = channel.batches[slot].error { throw error }
                    return nil
                }
                holding = false
                channel.free.signal()
                slot = (slot + 1) % Channel.slotCount
            }
            if finished { return nil }
            channel.filled.wait()
            holding = true
            next = channel.samples + slot * Channel.batchSize
            end = next + channel.batches[slot].count
            fractionRead = channel.batches[slot].fraction
        }
    }

    /// The state both threads share. Each slot's contents are written by the reader only between
    /// `free.wait()` and `filled.signal()` and read by the caller only between `filled.wait()` and
    /// `free.signal()`; the semaphores order the two.
    private final class Channel: @unchecked Sendable {
        static var batchSize: Int { 4096 }
        static var slotCount: Int { 4 }

        /// What ended a batch, besides its samples.
        struct Batch {
            var count = 0
            var fraction = 0.0
            var ended = false
            var error: ReplayError?
        }

        var base: Base
        // Raw memory rather than arrays: an array written on one thread and read on the other could be
        // copied on write between them.
        let samples = UnsafeMutablePointer<SensorSample>.allocate(capacity: batchSize * slotCount)
        let batches = UnsafeMutablePointer<Batch>.allocate(capacity: slotCount)
        // Created at zero and signalled up: libdispatch traps when a semaphore is freed below its initial value.
        let free = DispatchSemaphore(value: 0)
        let filled = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let stop = Atomic<Bool>(false)

        init(base: Base) {
            self.base = base
            batches.initialize(repeating: Batch(), count: Self.slotCount)
            for _ in 0..<Self.slotCount { free.signal() }
        }

        func readAhead() {
            var slot = 0
            var finished = false
            while !finished {
                free.wait()
                var n = 0
                var error: ReplayError?
                do {
                    while n < Self.batchSize {
                        guard let sample = try base.nextSample() else {
                            finished = true
                            break
                        }
                        (samples + slot * Self.batchSize + n).initialize(to: sample)
                        n += 1
                    }
                } catch let failure {
                    error = failure
                    finished = true
                }
                if stop.load(ordering: .relaxed) { finished = true }
                batches[slot] = Batch(count: n, fraction: base.fractionRead, ended: finished, error: error)
                filled.signal()
                slot = (slot + 1) % Self.slotCount
            }
            done.signal()
        }

        /// Frees the buffers; `SensorSample` is a plain value, so the samples need no deinitialising.
        func release() {
            samples.deallocate()
            batches.deinitialize(count: Self.slotCount)
            batches.deallocate()
        }
    }
}
