/// One sensor as `kneeload status` lists it (CONTRACTS §5: `name` and `state`).
public struct SensorStatus: Codable, Sendable, Equatable {
    /// How a sensor is doing.
    public enum State: String, Codable, Sendable, CaseIterable {
        /// Answering, values plausible.
        case ok
        /// Answering, but with failed reads or implausible values being skipped.
        case degraded
        /// Not found at start (nothing answers at its address).
        case absent
        /// Stopped answering, or answers wrongly; the daemon raises `sensor_fault`.
        case fault
    }

    /// A stable short name, for example "imu" or "knee".
    public var name: String
    public var state: State
    /// What it is and where, or what went wrong (for example "LSM6DS3 at 0x6a on /dev/i2c-1").
    public var detail: String?

    public init(name: String, state: State, detail: String? = nil) {
        self.name = name
        self.state = state
        self.detail = detail
    }
}
