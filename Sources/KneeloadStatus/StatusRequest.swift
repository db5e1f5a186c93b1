import KneeloadRecording

/// A request line of the status protocol (see `StatusProtocol`): `{"command": "status"}` and so on.
public enum StatusRequest: String, Sendable, CaseIterable {
    case status
    case acknowledge = "ack"
    case watch

    /// The request as one line, with its newline.
    public var line: [UInt8] {
        var json = JSONText()
        json.beginObject()
        json.string("command", rawValue)
        json.endObject()
        return json.bytes + [0x0A]
    }
}
