/// How a `RecordingWriter` cuts blocks and files, and when it makes them durable.
///
/// A block (one samples frame) closes at `samplesPerBlock` samples or `maxBlockDurationS` of sample time,
/// whichever comes first, and is written with one write(2). With `.everyFrame` (the default) each frame
/// is then fdatasync'd, so power loss costs at most the block being collected (about a second) plus a
/// partial last frame, which readers drop with a diagnostic. At 200 Hz that is one small synchronous
/// write a second, which an SD card takes without trouble; `.everyFrames(n)` trades durability for fewer
/// flash writes, and `.onRotation` leaves it to the kernel (up to about 30 s lost on power loss).
public struct RecordingPolicy: Sendable, Hashable {
    public enum Synchronize: Sendable, Hashable {
        case everyFrame
        case everyFrames(Int)
        case onRotation
    }

    public var samplesPerBlock: Int
    public var maxBlockDurationS: Double
    /// A new file is started once the current one reaches this size…
    public var maxFileBytes: Int
    /// …or spans this much sample (monotonic) time.
    public var maxFileAgeS: Double
    public var synchronize: Synchronize

    public init(
        samplesPerBlock: Int = 256, maxBlockDurationS: Double = 1, maxFileBytes: Int = 64 << 20, maxFileAgeS: Double = 3600,
        synchronize: Synchronize = .everyFrame
    ) {
        self.samplesPerBlock = min(max(1, samplesPerBlock), SampleBlockEncoder.maxCount)
        self.maxBlockDurationS = maxBlockDurationS
        self.maxFileBytes = maxFileBytes
        self.maxFileAgeS = maxFileAgeS
        self.synchronize = synchronize
    }

    /// One file for the whole run, synchronised when closed: `kneeload simulate --recording`.
    public static let singleFile = RecordingPolicy(maxFileBytes: .max, maxFileAgeS: .infinity, synchronize: .onRotation)
}
