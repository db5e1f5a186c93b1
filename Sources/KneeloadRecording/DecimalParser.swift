/// Parses a decimal number from ASCII bytes without allocating: sign, digits, optional fraction and
/// exponent. Exact (correctly rounded) whenever the digits fit in 2⁵³ and the power of ten is at most 22,
/// which covers every number a sensor CSV holds (Clinger's fast path); other inputs go through the
/// standard library's parser.
enum DecimalParser {
    private static let exactPowers: [Double] = (0...22).map { exponent in
        var p = 1.0
        for _ in 0..<exponent { p *= 10 }
        return p
    }

    /// The value of `bytes[range]`, or nil when it is not a number. `nan`/`inf` spellings parse to
    /// non-finite values so the caller can report them as such.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        var end = end
        // Trim spaces and a CR left by CRLF files.
        while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        while end > i, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0D { end -= 1 }
        guard i < end else { return nil }
        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        var sawDigit = false
        var overflow = false
        while i < end, bytes[i] &- 0x30 < 10 {
            sawDigit = true
            if digits < 19 {
                mantissa = mantissa * 10 + UInt64(bytes[i] &- 0x30)
                if mantissa != 0 { digits += 1 }
            } else {
                overflow = true
                scale += 1
            }
            i += 1
        }
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, bytes[i] &- 0x30 < 10 {
                sawDigit = true
                if digits < 19 {
                    mantissa = mantissa * 10 + UInt64(bytes[i] &- 0x30)
                    if mantissa != 0 { digits += 1 }
                    scale -= 1
                } else {
                    overflow = true
                }
                i += 1
            }
        }
        guard sawDigit else { return slowParse(bytes, start, end) }
        if i < end, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var exponent = 0
            var sawExponentDigit = false
            while i < end, bytes[i] &- 0x30 < 10 {
                sawExponentDigit = true
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[i] &- 0x30) }
                i += 1
            }
            guard sawExponentDigit else { return nil }
            scale += exponentNegative ? -exponent : exponent
        }
        guard i == end else { return nil }
        if !overflow, mantissa < (1 << 53), abs(scale) <= 22 {
            let value = Double(mantissa)
            let result = scale >= 0 ? value * exactPowers[scale] : value / exactPowers[-scale]
            return negative ? -result : result
        }
        return slowParse(bytes, start, end)
    }

    private static func slowParse(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        var trimmed = Substring(text)
        while let c = trimmed.first, c == " " || c == "\t" { trimmed = trimmed.dropFirst() }
        while let c = trimmed.last, c == " " || c == "\t" || c == "\r" { trimmed = trimmed.dropLast() }
        return Double(trimmed)
    }
}
