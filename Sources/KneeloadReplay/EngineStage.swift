import Dispatch
import KneeloadCore
import KneeloadEngine

/// The engine's part of a replay on its own thread: samples come from a `PipelinedSampleSource` (read on a
/// third thread), and what each accepted sample gives `LoadAccounting` goes on to the caller's thread, which
/// accounts it. Decoding, the engine and the accounting then overlap, and the caller gets exactly what
/// `LoadMonitor` over the same samples gives: the same values in the same order.
struct EngineStage<Base: ReplaySampleSource> {
    /// One accepted sample: its time, the engine's cumulative load after it, and how many events the engine
    /// emitted since the previous accepted sample (the next ones of the batch's `Extra.events`).
    typealias Output = KneeLoadEngine.AcceptedSample

    /// Per batch: the events its outputs carry, and after the last batch the engine's end.
    struct Extra {
        var events = EventBuffer(reservingCapacity: 64)
        var end: End?
    }

    /// The end of the input: the finished engine, the events its finish flushed, the samples read (accepted or
    /// not) and the reader, for what it noted along the way.
    struct End {
        var engine: KneeLoadEngine
        var finishEvents: EventBuffer
        var samples: Int
        var base: Base?
    }

    typealias Pipe = BatchPipe<Output, Extra>

    /// The consumer side, for the caller's thread.
    var cursor: Pipe.Cursor
    /// Stops the stage's thread when the caller lets go of the stage, also before the end of the input.
    private let owner: Owner

    /// Starts the stage's thread (and the reader's) at once.
    init(_ base: Base, configuration: EngineConfiguration) {
        let pipe = Pipe(extra: { Extra() })
        owner = Owner(pipe: pipe)
        cursor = Pipe.Cursor(pipe)
        let work = Work(base: base)
        DispatchQueue(label: "kneeload.replay-engine").async { Self.run(work.base, configuration, pipe) }
    }

    private final class Owner {
        let pipe: Pipe
        init(pipe: Pipe) { self.pipe = pipe }
        deinit { pipe.stop() }
    }

    /// Carries the reader to the stage's thread, which alone uses it from then on.
    private final class Work: @unchecked Sendable {
        let base: Base
        init(base: Base) { self.base = base }
    }

    private static func run(_ base: Base, _ configuration: EngineConfiguration, _ pipe: Pipe) {
        var source = PipelinedSampleSource(base)
        var engine = KneeLoadEngine(configuration: configuration)
        var pending = EventBuffer(reservingCapacity: 16)
        var samples = 0
        pipe.produce { outputs, extra in
            var tail = Pipe.Tail()
            extra.events.removeAll()
            extra.end = nil
            do throws(ReplayError) {
                // Runs of samples as they lie in the reader's batches: the engine takes a run at a time and
                // writes at most one output per sample, so a run never exceeds the room left in this batch.
                while tail.count < pipe.batchSize {
                    guard let run = try source.nextRun(maximum: pipe.batchSize - tail.count) else {
                        tail.ended = true
                        break
                    }
                    samples += run.count
                    tail.count += engine.processForAccounting(run, events: &extra.events, accepted: outputs + tail.count)
                }
            } catch {
                tail.error = error
                tail.ended = true
            }
            if tail.ended && tail.error == nil {
                engine.finish(events: &pending)
                extra.end = End(engine: engine, finishEvents: pending, samples: samples, base: source.finishedBase)
            }
            tail.fraction = source.fractionRead
            return tail
        }
    }
}
