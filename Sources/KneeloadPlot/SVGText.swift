import KneeloadRecording

/// SVG text built byte by byte: numbers with a fixed number of decimals (the same bytes everywhere, no locale)
/// and text content escaped for XML.
struct SVGText {
    private(set) var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// A coordinate, to a tenth of a pixel.
    mutating func coordinate(_ value: Double) { FixedPointText.append(value, decimals: 1, to: &bytes) }

    mutating func number(_ value: Double, decimals: Int) { FixedPointText.append(value, decimals: decimals, to: &bytes) }

    /// Text content or an attribute value, with the XML special characters escaped.
    mutating func escaped(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): raw("&amp;")
            case UInt8(ascii: "<"): raw("&lt;")
            case UInt8(ascii: ">"): raw("&gt;")
            case UInt8(ascii: "\""): raw("&quot;")
            case UInt8(ascii: "'"): raw("&apos;")
            // Control characters are not allowed in XML 1.0; a file name could hold one.
            case 0..<0x20 where byte != 0x09 && byte != 0x0A && byte != 0x0D: raw("?")
            default: bytes.append(byte)
            }
        }
    }

    /// `<text x y attributes>content</text>`.
    mutating func text(_ content: String, x: Double, y: Double, attributes: String = "") {
        raw("<text x=\"")
        coordinate(x)
        raw("\" y=\"")
        coordinate(y)
        raw("\"")
        if !attributes.isEmpty { raw(" " + attributes) }
        raw(">")
        escaped(content)
        raw("</text>\n")
    }

    /// `<line .../>` from (x1, y1) to (x2, y2).
    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, attributes: String = "") {
        raw("<line x1=\"")
        coordinate(x1)
        raw("\" y1=\"")
        coordinate(y1)
        raw("\" x2=\"")
        coordinate(x2)
        raw("\" y2=\"")
        coordinate(y2)
        raw("\"")
        if !attributes.isEmpty { raw(" " + attributes) }
        raw("/>\n")
    }

    /// The string form of a number, for labels.
    static func format(_ value: Double, decimals: Int) -> String {
        var b: [UInt8] = []
        FixedPointText.append(value, decimals: decimals, to: &b)
        return String(decoding: b, as: UTF8.self)
    }
}
