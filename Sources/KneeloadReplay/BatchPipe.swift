import Dispatch
import Synchronization

/// Batches handed from one producer thread to one consumer thread: a ring of `slotCount` batches of up to
/// `batchSize` elements each, plus an `Extra` per batch (what does not fit the fixed elements, such as the
/// events of an engine batch). The producer runs ahead by at most `slotCount` batches (fixed memory).
///
/// Two semaphores order the threads: `free` counts batches the producer may fill, `filled` batches the
/// consumer may take. A slot is written by the producer only between `free.wait()` and `filled.signal()` and
/// read by the consumer only between `filled.wait()` and `free.signal()`. Raw memory rather than arrays: an
/// array written on one thread and read on the other could be copied on write between them.
///
/// `Element` must be a plain value (no references): slots are overwritten without deinitialising.
final class BatchPipe<Element, Extra>: @unchecked Sendable {
    /// What ended a batch, besides its elements.
    struct Tail {
        var count = 0
        /// The producer's progress through its input, 0...1.
        var fraction = 0.0
        var ended = false
        var error: ReplayError?
    }

    let batchSize: Int
    let slotCount: Int
    let elements: UnsafeMutablePointer<Element>
    let tails: UnsafeMutablePointer<Tail>
    let extras: UnsafeMutablePointer<Extra>
    // Created at zero and signalled up: libdispatch traps when a semaphore is freed below its initial value.
    private let free = DispatchSemaphore(value: 0)
    private let filled = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)

    init(batchSize: Int = 4096, slotCount: Int = 4, extra: () -> Extra) {
        precondition(_isPOD(Element.self), "BatchPipe elements must be plain values")
        self.batchSize = batchSize
        self.slotCount = slotCount
        elements = .allocate(capacity: batchSize * slotCount)
        tails = .allocate(capacity: slotCount)
        tails.initialize(repeating: Tail(), count: slotCount)
        extras = .allocate(capacity: slotCount)
        for slot in 0..<slotCount { (extras + slot).initialize(to: extra()) }
        for _ in 0..<slotCount { free.signal() }
    }

    deinit {
        elements.deallocate()
        tails.deinitialize(count: slotCount)
        tails.deallocate()
        extras.deinitialize(count: slotCount)
        extras.deallocate()
    }

    /// The producer's loop: `fill` writes up to `batchSize` elements from the pointer on and the slot's extra,
    /// and says how many and whether the input ended. Returns once the last batch is handed over, or after the
    /// batch in progress when the consumer stopped.
    func produce(_ fill: (UnsafeMutablePointer<Element>, inout Extra) -> Tail) {
        var slot = 0
        var ended = false
        while !ended {
            free.wait()
            var tail = fill(elements + slot * batchSize, &extras[slot])
            if stopped.load(ordering: .relaxed) { tail.ended = true }
            ended = tail.ended
            tails[slot] = tail
            filled.signal()
            slot = (slot + 1) % slotCount
        }
        done.signal()
    }

    /// The consumer leaves early: the producer ends after its current batch; returns once it has.
    func stop() {
        stopped.store(true, ordering: .relaxed)
        free.signal()
        waitUntilProduced()
    }

    /// Returns once the producer has handed over its last batch.
    func waitUntilProduced() {
        done.wait()
        done.signal()
    }

    /// The consumer's position: the batch it holds, the next element in it and the batch's end. A struct, so
    /// that per-element reads touch no class storage (a class's stored position would be checked for
    /// exclusive access on every element).
    struct Cursor {
        let pipe: BatchPipe
        private(set) var slot = 0
        var next: UnsafeMutablePointer<Element>
        var end: UnsafeMutablePointer<Element>
        private var holding = false
        /// The last batch has been taken.
        private(set) var finished = false
        /// `Tail.fraction` of the batch held.
        private(set) var fraction = 0.0

        init(_ pipe: BatchPipe) {
            self.pipe = pipe
            next = pipe.elements
            end = pipe.elements
        }

        /// The extra of the batch held.
        var extra: Extra { pipe.extras[slot] }

        /// Hands the batch held back (unless it was the last) and waits for the next one. Returns false at the
        /// end of the input, throwing the last batch's error if it carries one.
        mutating func advance() throws(ReplayError) -> Bool {
            if holding {
                holding = false
                if pipe.tails[slot].ended {
                    finished = true
                    if let error = pipe.tails[slot].error { throw error }
                    return false
                }
                pipe.free.signal()
                slot = (slot + 1) % pipe.slotCount
            }
            if finished { return false }
            pipe.filled.wait()
            holding = true
            next = pipe.elements + slot * pipe.batchSize
            end = next + pipe.tails[slot].count
            fraction = pipe.tails[slot].fraction
            return true
        }
    }
}
