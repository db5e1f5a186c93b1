/// Writes decimal numbers with a fixed number of fractional digits straight into a byte buffer: the
/// same bytes on every platform (no locale, no libc formatting), and no allocation per number.
public enum FixedPointText {
    /// Powers of ten up to 10⁹, for the fractional digits.
    private static let powers: [Int64] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000]

    /// Appends `value` rounded half away from zero to `decimals` (0...9) fractional digits.
    /// Non-finite values are the caller's problem: they are written as `nan`, `inf` or `-inf`.
    public static func append(_ value: Double, decimals: Int, to buffer: inout [UInt8]) {
        precondition((0...9).contains(decimals))
        guard value.isFinite else {
            buffer.append(contentsOf: value.isNaN ? Array("nan".utf8) : value < 0 ? Array("-inf".utf8) : Array("inf".utf8))
            return
        }
        let scale = powers[decimals]
        let scaled = (abs(value) * Double(scale)).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e18 else {
            // Outside what the fixed form can hold; no sensor value comes near this.
            buffer.append(contentsOf: Array(String(value).utf8))
            return
        }
        let units = Int64(scaled)
        if value < 0 && units != 0 { buffer.append(UInt8(ascii: "-")) }
        appendInteger(units / scale, to: &buffer)
        if decimals > 0 {
            buffer.append(UInt8(ascii: "."))
            var fraction = units % scale
            var digits = [UInt8](repeating: UInt8(ascii: "0"), count: decimals)
            var i = decimals - 1
            while i >= 0 {
                digits[i] = UInt8(ascii: "0") + UInt8(fraction % 10)
                fraction /= 10
                i -= 1
            }
            buffer.append(contentsOf: digits)
        }
    }

    public static func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
        var v = value
        if v < 0 {
            buffer.append(UInt8(ascii: "-"))
            v = -v
        }
        if v == 0 {
            buffer.append(UInt8(ascii: "0"))
            return
        }
        let start = buffer.count
        while v > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        }
        buffer[start...].reverse()
    }
}
