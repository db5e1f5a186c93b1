#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import KneeloadEngine
import KneeloadRecording

/// The daemon's status socket (CONTRACTS §5).
///
/// **Where.** A Unix stream socket `kneeload.sock` in the runtime directory: `$RUNTIME_DIRECTORY` (its first
/// entry) when set, `/run/kneeload` otherwise (`StatusSocketPath`). Mode 0660: the daemon's user and group may
/// connect, nobody else.
///
/// **Framing.** UTF-8 JSON, one object per line (`\n`, an optional `\r` before it is ignored), in both
/// directions. Requests are at most 4096 bytes; blank lines are ignored; unknown keys in a request are ignored.
/// Every reply and event carries `type`. Numbers have fixed decimals and keys a fixed order.
///
/// **Requests**, answered in order, any number per connection:
/// - `{"command": "status"}` → `{"type": "status", "uptime_s": …, "samples": …, …}`: `type` then the fields of
///   `DaemonStatus` (what `kneeload status --json` prints, without `type`).
/// - `{"command": "ack"}` → `{"type": "acknowledged", "alerts": [{"t_s": …, "kind": …, "level": …, "value": …,
///   "limit": …}]}`: acknowledges every active alert, as the button does, and lists what was active (maybe none).
/// - `{"command": "watch"}` → `{"type": "watching"}`, then one line per event as it happens (`StatusEvent`:
///   `alert`, `warning`, `alert_acknowledged`, `alert_cleared`, `step`, `stair_descent_step`, `sensor_state`,
///   `recording`, `events_dropped`; more may be added) until the client closes. The connection then carries
///   events only: further request lines are read and ignored. A watcher that does not keep up loses events, never
///   slows the daemon: each lost run is reported as one `{"type": "events_dropped", "count": N}` line.
/// - Anything else → `{"type": "error", "error": CODE, "message": …}` with CODE `malformed_request` (not a JSON
///   object with a string `command`), `unknown_command` or `request_too_long`; the message names the request's
///   line number on the connection. The connection stays open.
public enum StatusProtocol {
    /// The socket's file name in the runtime directory.
    public static let socketName = "kneeload.sock"
    /// Group access only (the issue: "group-readable only"); connecting needs write permission.
    public static let socketMode: UInt32 = 0o660
    /// The longest request line accepted, bytes without the newline.
    public static let maximumRequestBytes = 4096

    /// Reads one request line (without its newline). Nil for a blank line, which is skipped.
    static func parse(_ line: [UInt8], number: Int) -> Result<StatusRequest, StatusProtocolError>? {
        var end = line.count
        if end > 0, line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let text = line[..<end]
        if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return nil }
        struct Request: Decodable { var command: String }
        guard let request = try? JSONDecoder().decode(Request.self, from: Data(text)) else {
            return .failure(.malformedRequest(line: number))
        }
        guard let known = StatusRequest(rawValue: request.command) else {
            return .failure(.unknownCommand(request.command, line: number))
        }
        return .success(known)
    }

    static func statusReply(_ status: DaemonStatus) -> [UInt8] {
        var json = JSONText()
        json.beginObject()
        json.string("type", "status")
        status.writeFields(into: &json)
        json.endObject()
        return json.bytes + [0x0A]
    }

    static func acknowledgedReply(_ alerts: [AlertEvent]) -> [UInt8] {
        var json = JSONText()
        json.beginObject()
        json.string("type", "acknowledged")
        json.beginArray("alerts")
        for alert in alerts {
            json.beginObject()
            json.number("t_s", alert.t, decimals: 6)
            json.string("kind", alert.kind.rawValue)
            json.string("level", alert.level.rawValue)
            json.number("value", alert.value, decimals: 3)
            json.number("limit", alert.limit, decimals: 3)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes + [0x0A]
    }

    static let watchingReply: [UInt8] = Array("{\"type\": \"watching\"}\n".utf8)

    static func eventLine(_ event: StatusEvent) -> [UInt8] { Array(event.json.utf8) + [0x0A] }

    static func errorReply(_ error: StatusProtocolError) -> [UInt8] {
        var json = JSONText()
        json.beginObject()
        json.string("type", "error")
        json.string("error", error.code)
        json.string("message", error.description)
        json.endObject()
        return json.bytes + [0x0A]
    }
}
