import Foundation
import Yams

/// Reads typed values out of a composed YAML tree, turning every problem into a `YAMLError` that names
/// the file, the line, the key path and the value.
public struct YAMLFields: Sendable {
    public let source: String

    public init(source: String) {
        self.source = source
    }

    public func error(_ node: Node?, key: String?, value: String? = nil, _ problem: String) -> YAMLError {
        YAMLError(source: source, line: node?.mark?.line, key: key, value: value, problem: problem)
    }

    /// The text of a node as written, for messages.
    public func written(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return s.string
        case .mapping: return "(a mapping)"
        case .sequence: return "(a list)"
        case .alias: return "(an alias)"
        }
    }

    /// The key/value pairs of a mapping, rejecting duplicate keys and keys outside `allowed`.
    public func mapping(_ node: Node, path: String, allowed: [String]) throws(YAMLError) -> [String: Node] {
        guard case .mapping(let mapping) = node else {
            throw error(node, key: path.isEmpty ? nil : path, value: written(node), "expected a mapping of keys")
        }
        var result: [String: Node] = [:]
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                throw error(keyNode, key: path.isEmpty ? nil : path, "keys must be plain names")
            }
            let key = keyScalar.string
            let full = path.isEmpty ? key : "\(path).\(key)"
            guard allowed.contains(key) else {
                throw error(
                    keyNode, key: full,
                    "unknown key; allowed here: \(allowed.joined(separator: ", "))")
            }
            guard result[key] == nil else { throw error(keyNode, key: full, "key given twice") }
            result[key] = valueNode
        }
        return result
    }

    public func number(
        _ node: Node, key: String, range: ClosedRange<Double>, unit: String
    ) throws(YAMLError) -> Double {
        guard case .scalar(let s) = node, s.style == .plain || s.style == .any,
            let value = Self.parseNumber(s.string)
        else {
            throw error(node, key: key, value: written(node), "expected a number (\(Self.rangeText(range, unit)))")
        }
        guard range.contains(value) else {
            throw error(node, key: key, value: s.string, "out of range; allowed \(Self.rangeText(range, unit))")
        }
        return value
    }

    public func integer(_ node: Node, key: String, range: ClosedRange<Int>, unit: String) throws(YAMLError) -> Int {
        let value = try number(node, key: key, range: Double(range.lowerBound)...Double(range.upperBound), unit: unit)
        guard value == value.rounded() else {
            throw error(node, key: key, value: written(node), "expected a whole number (\(range.lowerBound)…\(range.upperBound) \(unit))")
        }
        return Int(value)
    }

    public func seed(_ node: Node, key: String) throws(YAMLError) -> UInt64 {
        guard case .scalar(let s) = node, s.style == .plain || s.style == .any, let value = UInt64(s.string) else {
            throw error(node, key: key, value: written(node), "expected a whole number from 0 to \(UInt64.max)")
        }
        return value
    }

    public func bool(_ node: Node, key: String) throws(YAMLError) -> Bool {
        if case .scalar(let s) = node, s.style == .plain || s.style == .any {
            switch s.string.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: break
            }
        }
        throw error(node, key: key, value: written(node), "expected true or false")
    }

    public func string(_ node: Node, key: String) throws(YAMLError) -> String {
        guard case .scalar(let s) = node else {
            throw error(node, key: key, value: written(node), "expected text")
        }
        return s.string
    }

    public func choice<T: RawRepresentable & CaseIterable>(
        _ node: Node, key: String, as type: T.Type
    ) throws(YAMLError) -> T where T.RawValue == String {
        let text = try string(node, key: key)
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: " | ")
            throw error(node, key: key, value: text, "unknown value; allowed: \(allowed)")
        }
        return value
    }

    public func oneOf(_ node: Node, key: String, allowed: [Int], unit: String) throws(YAMLError) -> Int {
        let list = allowed.map(String.init).joined(separator: " | ")
        guard case .scalar(let s) = node, let value = Int(s.string), allowed.contains(value) else {
            throw error(node, key: key, value: written(node), "allowed: \(list) \(unit)")
        }
        return value
    }

    /// Decimal numbers as YAML writes them; no NaN or infinities (they are never sensible here).
    public static func parseNumber(_ text: String) -> Double? {
        let trimmed = text.replacingOccurrences(of: "_", with: "")
        guard !trimmed.isEmpty, let value = Double(trimmed), value.isFinite else { return nil }
        let allowedCharacters = Set("0123456789+-.eE")
        guard trimmed.allSatisfy({ allowedCharacters.contains($0) }) else { return nil }
        return value
    }

    public static func rangeText(_ range: ClosedRange<Double>, _ unit: String) -> String {
        "\(format(range.lowerBound))…\(format(range.upperBound))\(unit.isEmpty ? "" : " \(unit)")"
    }

    public static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}
