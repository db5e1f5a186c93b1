import KneeloadYAML
import Yams

/// The `daemon:` section: where state and recordings go, how often state is saved, and how hard a failing
/// sensor is retried before it is reported.
///
/// ```yaml
/// daemon:
///   state_directory: /var/lib/kneeload      # default: $STATE_DIRECTORY, else /var/lib/kneeload
///   recording_directory: /var/lib/kneeload/recordings   # default: <state directory>/recordings
///   recording: true
///   recording_max_mb: 1024      # oldest recordings are deleted beyond this (about 100 hours at 200 Hz)
///   recording_min_free_mb: 100  # … or when the disk has less than this free (the state file needs room)
///   checkpoint_interval_s: 5
///   sensor_fault_after_s: 2     # a sensor failing this long is degraded and raises sensor_fault
/// ```
public struct DaemonSettings: Sendable, Equatable {
    /// nil: from the environment (CONTRACTS §5).
    public var stateDirectory: String?
    public var recordingDirectory: String?
    public var recording = true
    public var recordingMaxMB = 1024.0
    public var recordingMinFreeMB = 100.0
    public var checkpointIntervalS = 5.0
    public var sensorFaultAfterS = 2.0

    public init() {}

    static let keys = [
        "state_directory", "recording_directory", "recording", "recording_max_mb", "recording_min_free_mb",
        "checkpoint_interval_s", "sensor_fault_after_s",
    ]

    init(_ node: Node, fields: YAMLFields) throws(YAMLError) {
        let m = try fields.mapping(node, path: "daemon", allowed: Self.keys)
        if let n = m["state_directory"] { stateDirectory = try Self.path(n, key: "daemon.state_directory", fields) }
        if let n = m["recording_directory"] {
            recordingDirectory = try Self.path(n, key: "daemon.recording_directory", fields)
        }
        if let n = m["recording"] { recording = try fields.bool(n, key: "daemon.recording") }
        if let n = m["recording_max_mb"] {
            recordingMaxMB = try fields.number(n, key: "daemon.recording_max_mb", range: 16...10_000_000, unit: "MiB")
        }
        if let n = m["recording_min_free_mb"] {
            recordingMinFreeMB = try fields.number(n, key: "daemon.recording_min_free_mb", range: 0...1_000_000, unit: "MiB")
        }
        if let n = m["checkpoint_interval_s"] {
            checkpointIntervalS = try fields.number(n, key: "daemon.checkpoint_interval_s", range: 1...300, unit: "s")
        }
        if let n = m["sensor_fault_after_s"] {
            sensorFaultAfterS = try fields.number(n, key: "daemon.sensor_fault_after_s", range: 0.1...60, unit: "s")
        }
    }

    /// The state directory: the configured one, else systemd's `$STATE_DIRECTORY` (its first entry), else
    /// `/var/lib/kneeload` (CONTRACTS §5).
    public func resolvedStateDirectory(environment: [String: String]) -> String {
        stateDirectory ?? Self.firstEntry(environment["STATE_DIRECTORY"]) ?? "/var/lib/kneeload"
    }

    public func resolvedRecordingDirectory(environment: [String: String]) -> String {
        recordingDirectory ?? resolvedStateDirectory(environment: environment) + "/recordings"
    }

    /// systemd joins several directories with ':'; the first is ours.
    static func firstEntry(_ value: String?) -> String? {
        guard let value, let first = value.split(separator: ":").first, !first.isEmpty else { return nil }
        return String(first)
    }

    private static func path(_ node: Node, key: String, _ fields: YAMLFields) throws(YAMLError) -> String {
        let text = try fields.string(node, key: key)
        guard text.hasPrefix("/") else { throw fields.error(node, key: key, value: text, "expected an absolute path") }
        return text
    }
}
