/// What the daemon shows in its status about recording.
public struct RecordingState: Sendable, Hashable {
    /// False once recording stopped (a full disk, an I/O error, or `close()`); monitoring goes on regardless.
    public var active = true
    /// Why recording stopped, e.g. "cannot write /var/lib/kneeload/…: No space left on device".
    public var stopReason: String?
    /// The file being written, if one is open.
    public var file: String?
    public var filesStarted = 0
    public var samplesRecorded = 0
    public var eventsRecorded = 0
    public var bytesWritten = 0
    /// Samples that could not be recorded: a value not finite or out of range, or time not increasing.
    public var unrecordableSamples = 0

    public init() {}
}
