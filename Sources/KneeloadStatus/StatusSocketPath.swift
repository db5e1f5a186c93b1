/// Where the status socket is (CONTRACTS §5), for the daemon and for `kneeload status` alike.
public enum StatusSocketPath {
    /// Used when `$RUNTIME_DIRECTORY` is not set.
    public static let defaultRuntimeDirectory = "/run/kneeload"

    /// `$RUNTIME_DIRECTORY/kneeload.sock`, or `/run/kneeload/kneeload.sock` when it is unset or empty. systemd
    /// joins several `RuntimeDirectory=` entries with `:` (systemd.exec(5), "RuntimeDirectory="); the first is used.
    public static func resolve(environment: [String: String]) -> String {
        let directory = environment["RUNTIME_DIRECTORY"]?.split(separator: ":").first.map(String.init)
        return (directory ?? defaultRuntimeDirectory) + "/" + StatusProtocol.socketName
    }
}
