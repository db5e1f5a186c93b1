#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import KneeloadEngine

/// One line from the server, read by a client (see `StatusProtocol`).
public enum StatusReply: Sendable, Equatable {
    case status(DaemonStatus)
    case acknowledged([AlertEvent])
    case watching
    case event(StatusEvent)
    case error(code: String, message: String)

    /// Reads one line (without its newline). A line that is not a reply this client knows throws
    /// `StatusReplyError`, naming the problem.
    public init(line: [UInt8]) throws(StatusReplyError) {
        struct Envelope: Decodable {
            var type: String
            var error: String?
            var message: String?
            var alerts: [AlertEvent]?
        }
        let data = Data(line)
        let decoder = JSONDecoder()
        do {
            let envelope = try decoder.decode(Envelope.self, from: data)
            switch envelope.type {
            case "status": self = .status(try decoder.decode(DaemonStatus.self, from: data))
            case "acknowledged": self = .acknowledged(envelope.alerts ?? [])
            case "watching": self = .watching
            case "error": self = .error(code: envelope.error ?? "", message: envelope.message ?? "")
            default: self = .event(try decoder.decode(StatusEvent.self, from: data))
            }
        } catch {
            throw StatusReplyError(line: String(decoding: line.prefix(200), as: UTF8.self), reason: Self.reason(error))
        }
    }

    /// A short reason from a decoding error: what was wrong and at which key.
    private static func reason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "" : " at \(keys.joined(separator: "."))"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing key \"\(key.stringValue)\"\(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type\(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context): return "\(context.debugDescription)\(path(context))"
        @unknown default: return "\(error)"
        }
    }
}

/// A reply line a client could not read.
public struct StatusReplyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The start of the line.
    public var line: String
    public var reason: String

    public var description: String { "unreadable reply (\(reason)): \(line)" }
}
