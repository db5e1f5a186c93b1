/// Builds JSON text by hand so that the same values always give the same bytes: keys in the order written,
/// numbers with a fixed number of decimals and trailing zeros trimmed (no exponent, no locale).
public struct JSONText: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    public init() {}

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func beginObject(_ key: String? = nil) { open(key, UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray(_ key: String? = nil) { open(key, UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    public mutating func number(_ key: String?, _ value: Double, decimals: Int) {
        element(key)
        Self.appendNumber(value, decimals: decimals, to: &bytes)
    }

    public mutating func integer(_ key: String?, _ value: Int) {
        element(key)
        FixedPointText.appendInteger(Int64(value), to: &bytes)
    }

    public mutating func string(_ key: String?, _ value: String) {
        element(key)
        Self.appendString(value, to: &bytes)
    }

    public mutating func bool(_ key: String?, _ value: Bool) {
        element(key)
        bytes.append(contentsOf: Array((value ? "true" : "false").utf8))
    }

    /// `value` rounded to `decimals`, trailing zeros trimmed; non-finite values (never produced by the engine)
    /// become `null` so the output stays valid JSON.
    public static func appendNumber(_ value: Double, decimals: Int, to bytes: inout [UInt8]) {
        guard value.isFinite else {
            bytes.append(contentsOf: Array("null".utf8))
            return
        }
        let start = bytes.count
        FixedPointText.append(value, decimals: decimals, to: &bytes)
        guard decimals > 0 else { return }
        while bytes.last == UInt8(ascii: "0") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        if bytes.count == start + 2, bytes[start] == UInt8(ascii: "-"), bytes[start + 1] == UInt8(ascii: "0") {
            bytes.remove(at: start)  // "-0" after rounding is 0
        }
    }

    public static func appendString(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for unit in value.utf8 {
            switch unit {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(unit >> 4)], hex[Int(unit & 15)]])
            default: bytes.append(unit)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func element(_ key: String?) {
        if needsComma[needsComma.count - 1] { bytes.append(contentsOf: Array(", ".utf8)) }
        needsComma[needsComma.count - 1] = true
        if let key {
            Self.appendString(key, to: &bytes)
            bytes.append(contentsOf: Array(": ".utf8))
        }
    }

    private mutating func open(_ key: String?, _ bracket: UInt8) {
        element(key)
        bytes.append(bracket)
        needsComma.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        needsComma.removeLast()
        bytes.append(bracket)
    }
}
