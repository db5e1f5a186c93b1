import KneeloadCore
import Logging

/// Writes the daemon's samples and events as a recording (docs/recording-format.md), append-only, one
/// frame per block, rotating files by size and age.
///
/// Built to sit in the sampling loop: nothing here throws. A storage failure (ENOSPC, EIO, …) stops
/// recording, logs one `recording stopped` line and shows in `state`; `append` still returns the quantized
/// sample so monitoring goes on unchanged. `resume()` tries again with a new file.
///
/// `append` returns the sample on `RecordingGrid`: feed that to the engine, so that a replay of the
/// recording reproduces the daemon's run exactly.
public struct RecordingWriter {
    public private(set) var state = RecordingState()
    public private(set) var context: RecordingContext

    private let storage: any RecordingStorage
    private let policy: RecordingPolicy
    private let wallClock: (() -> Double)?
    private let logger: Logger
    private var output: (any RecordingOutput)?
    private var block: SampleBlockEncoder?
    private var fileBytes = 0
    private var fileStartTime = 0.0
    private var framesSinceSync = 0
    private var lastTime = -Double.infinity
    private var pendingEvents: [RecordingEvent] = []
    private var part = 0
    /// The shape of the last sample recorded; a different shape starts a new file.
    private var shape: (gyro: Bool, pressure: Bool)?

    /// Nothing is written until the first sample (its shape, gyro and pressure or not, goes in the header).
    /// `wallClock` gives Unix time in seconds for file names and the header's start time.
    public init(
        storage: any RecordingStorage, context: RecordingContext, policy: RecordingPolicy = RecordingPolicy(),
        wallClock: (() -> Double)? = nil, logger: Logger
    ) {
        self.storage = storage
        self.context = context
        self.policy = policy
        self.wallClock = wallClock
        self.logger = logger
    }

    /// Records `sample` (with the daemon's sample sequence number) and returns it on the recording grid.
    /// A sample with a value that cannot be recorded (not finite) is returned unchanged and not recorded.
    @discardableResult
    public mutating func append(_ sample: SensorSample, sequence: UInt64) -> SensorSample {
        guard let quantized = RecordingGrid.quantize(sample) else {
            state.unrecordableSamples += 1
            return sample
        }
        guard state.active else { return quantized }
        guard quantized.time > lastTime else {
            state.unrecordableSamples += 1
            return quantized
        }
        let gyro = quantized.gyro != nil, pressure = quantized.pressurePa != nil
        if output != nil {
            if let shape, shape.gyro != gyro || shape.pressure != pressure {
                finishFile()
            } else if fileBytes >= policy.maxFileBytes || quantized.time - fileStartTime >= policy.maxFileAgeS {
                finishFile()
            }
        }
        if output == nil {
            openFile(gyro: gyro, pressure: pressure, startTime: quantized.time)
            guard output != nil else { return quantized }
        }
        block!.append(quantized, sequence: sequence)
        lastTime = quantized.time
        state.samplesRecorded += 1
        if block!.count >= policy.samplesPerBlock || quantized.time - block!.firstTime >= policy.maxBlockDurationS {
            flushBlock()
        }
        return quantized
    }

    /// Records an event after the samples appended so far (the open block is written first, to keep order).
    public mutating func note(_ event: RecordingEvent) {
        guard state.active else { return }
        guard output != nil else {
            pendingEvents.append(event)
            return
        }
        flushBlock()
        writeFrame(RecordingFormat.frame(.event, event.payload))
        if state.active { state.eventsRecorded += 1 }
    }

    /// A new configuration: noted as an event in the current file, then a new file starts whose header
    /// carries the new context.
    public mutating func changeContext(_ newContext: RecordingContext, time: Double) {
        note(RecordingEvent(kind: .configurationChange, time: time, detail: newContext.configuration ?? ""))
        context = newContext
        rotate()
    }

    /// Closes the current file (synchronised); the next sample starts the next part.
    public mutating func rotate() {
        guard output != nil else { return }
        finishFile()
    }

    /// Writes what is buffered and closes the file; recording stays stopped afterwards.
    public mutating func close() {
        if output != nil { finishFile() }
        if state.active {
            state.active = false
            state.stopReason = "closed"
        }
    }

    /// After a stop (say the disk was full and space was freed): record again, into a new file.
    public mutating func resume() {
        guard !state.active else { return }
        state.active = true
        state.stopReason = nil
    }

    private mutating func openFile(gyro: Bool, pressure: Bool, startTime: Double) {
        part += 1
        context.part = part
        context.startUnixTimeS = wallClock?()
        do {
            output = try storage.create(part: part, startUnixTimeS: context.startUnixTimeS)
        } catch {
            stop(error)
            return
        }
        state.file = output?.name
        state.filesStarted += 1
        shape = (gyro, pressure)
        block = SampleBlockEncoder(hasGyro: gyro, hasPressure: pressure)
        fileBytes = 0
        fileStartTime = startTime
        framesSinceSync = 0
        var header: [UInt8] = []
        RecordingFormat.appendUInt16(RecordingFormat.versionMajor, to: &header)
        RecordingFormat.appendUInt16(RecordingFormat.versionMinor, to: &header)
        header.append(block!.channelMask)
        header.append(contentsOf: Array(context.jsonText.utf8))
        writeFrame(RecordingFormat.magic + RecordingFormat.frame(.header, header))
        let events = pendingEvents
        pendingEvents.removeAll()
        for event in events where state.active {
            writeFrame(RecordingFormat.frame(.event, event.payload))
            state.eventsRecorded += 1
        }
    }

    private mutating func flushBlock() {
        guard output != nil, var open = block, open.count > 0 else { return }
        let payload = open.encode()
        block = open
        writeFrame(RecordingFormat.frame(.samples, payload))
    }

    private mutating func finishFile() {
        flushBlock()
        guard let file = output else { return }
        do {
            try file.synchronize()
            try file.close()
        } catch {
            stop(error)
            return
        }
        output = nil
        block = nil
        state.file = nil
    }

    private mutating func writeFrame(_ frame: [UInt8]) {
        guard let file = output else { return }
        do {
            try file.write(frame)
            fileBytes += frame.count
            state.bytesWritten += frame.count
            framesSinceSync += 1
            switch policy.synchronize {
            case .everyFrame:
                try file.synchronize()
                framesSinceSync = 0
            case .everyFrames(let n) where framesSinceSync >= n:
                try file.synchronize()
                framesSinceSync = 0
            default:
                break
            }
        } catch {
            stop(error)
        }
    }

    private mutating func stop(_ error: RecordingStorageError) {
        state.active = false
        state.stopReason = error.description
        state.file = nil
        logger.error(
            "recording stopped: \(error.description); monitoring continues",
            metadata: ["errno": "\(error.code)", "path": "\(error.path)"])
        if let file = output { try? file.close() }
        output = nil
        block = nil
    }
}
