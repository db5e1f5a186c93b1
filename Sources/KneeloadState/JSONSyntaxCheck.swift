/// Finds the first syntax error in a JSON text (RFC 8259 grammar; UTF-8 validity is left to the decoder).
/// Foundation's decoder only says "not valid JSON"; the daemon's log line should say where. Iterative, so a
/// deeply nested file cannot exhaust the stack.
struct JSONSyntaxCheck {
    private let bytes: [UInt8]
    private var index = 0
    /// Open containers, innermost last: `{` or `[`.
    private var containers: [UInt8] = []

    private enum Expectation {
        case value, valueOrArrayEnd, key, keyOrObjectEnd, colon, commaOrEnd, endOfText
    }

    /// The first error in `bytes`, or `nil` when they are one well-formed JSON value.
    static func firstError(in bytes: [UInt8]) -> JSONSyntaxError? {
        var check = JSONSyntaxCheck(bytes: bytes)
        guard let (message, offset) = check.run() else { return nil }
        return position(of: offset, in: bytes, message: message)
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func run() -> (String, Int)? {
        var expectation = Expectation.value
        while true {
            skipWhitespace()
            guard index < bytes.count else {
                return expectation == .endOfText ? nil : ("unexpected end of file", index)
            }
            let byte = bytes[index]
            switch expectation {
            case .value, .valueOrArrayEnd:
                if expectation == .valueOrArrayEnd && byte == UInt8(ascii: "]") {
                    containers.removeLast()
                    index += 1
                } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    containers.append(byte)
                    index += 1
                    expectation = byte == UInt8(ascii: "{") ? .keyOrObjectEnd : .valueOrArrayEnd
                    continue
                } else if let error = scanScalar() {
                    return error
                }
            case .key, .keyOrObjectEnd:
                if expectation == .keyOrObjectEnd && byte == UInt8(ascii: "}") {
                    containers.removeLast()
                    index += 1
                } else {
                    guard byte == UInt8(ascii: "\"") else { return ("expected a string key \(found(byte))", index) }
                    if let error = scanString() { return error }
                    expectation = .colon
                    continue
                }
            case .colon:
                guard byte == UInt8(ascii: ":") else { return ("expected ':' \(found(byte))", index) }
                index += 1
                expectation = .value
                continue
            case .commaOrEnd:
                let open = containers[containers.count - 1]
                let close = open == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if byte == UInt8(ascii: ",") {
                    index += 1
                    expectation = open == UInt8(ascii: "{") ? .key : .value
                    continue
                }
                guard byte == close else {
                    return ("expected ',' or '\(Character(Unicode.Scalar(close)))' \(found(byte))", index)
                }
                containers.removeLast()
                index += 1
            case .endOfText:
                return ("unexpected text after the end of the JSON value \(found(byte))", index)
            }
            // A value (scalar or container) has just ended.
            expectation = containers.isEmpty ? .endOfText : .commaOrEnd
        }
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
            default: return
            }
        }
    }

    /// A string, number or literal starting at `index`.
    private mutating func scanScalar() -> (String, Int)? {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "\""): return scanString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return scanNumber()
        case UInt8(ascii: "t"): return scanLiteral("true")
        case UInt8(ascii: "f"): return scanLiteral("false")
        case UInt8(ascii: "n"): return scanLiteral("null")
        default: return ("expected a value \(found(byte))", index)
        }
    }

    private mutating func scanString() -> (String, Int)? {
        let start = index
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return nil
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                if escape == UInt8(ascii: "u") {
                    for _ in 0..<4 {
                        index += 1
                        guard index < bytes.count else { return ("unterminated string starting", start) }
                        guard Self.isHexDigit(bytes[index]) else { return ("invalid \\u escape", index) }
                    }
                } else if !"\"\\/bfnrt".utf8.contains(escape) {
                    return ("invalid escape \(found(escape))", index)
                }
                index += 1
            case 0..<0x20:
                return ("control character \(byte) inside a string", index)
            default:
                index += 1
            }
        }
        return ("unterminated string starting", start)
    }

    private mutating func scanNumber() -> (String, Int)? {
        let start = index
        func digits(_ check: inout JSONSyntaxCheck) -> Int {
            let first = check.index
            while check.index < check.bytes.count, Self.isDigit(check.bytes[check.index]) { check.index += 1 }
            return check.index - first
        }
        func malformed(_ check: JSONSyntaxCheck) -> (String, Int) {
            check.index < check.bytes.count
                ? ("malformed number starting at byte \(start)", check.index)
                : ("unexpected end of file", check.index)
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits(&self) == 0 {
            return malformed(self)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            if digits(&self) == 0 { return malformed(self) }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            if digits(&self) == 0 { return malformed(self) }
        }
        return nil
    }

    private mutating func scanLiteral(_ literal: String) -> (String, Int)? {
        for expected in literal.utf8 {
            guard index < bytes.count else { return ("unexpected end of file", index) }
            guard bytes[index] == expected else { return ("invalid literal, expected \(literal)", index) }
            index += 1
        }
        return nil
    }

    private func found(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "but found '\(Character(Unicode.Scalar(byte)))'" : "but found byte \(byte)"
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
    }

    private static func position(of offset: Int, in bytes: [UInt8], message: String) -> JSONSyntaxError {
        var line = 1
        var lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        return JSONSyntaxError(message: message, byteOffset: offset, line: line, column: offset - lineStart + 1)
    }
}
