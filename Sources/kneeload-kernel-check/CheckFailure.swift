/// Why a check failed, as one line.
struct CheckFailure: Error {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}

// Expectations. Each turns a surprise into a `CheckFailure` whose reason says what was expected and what
// came instead, so a FAIL line alone tells what went wrong.

/// Runs a call (of a driver, the bus, a GPIO line) that must succeed.
func succeed<T, E: Error>(_ what: String, _ body: () throws(E) -> T) throws(CheckFailure) -> T {
    do {
        return try body()
    } catch {
        throw CheckFailure("\(what) threw: \(error)")
    }
}

/// Runs a call that must throw, and returns what it threw, typed (`SensorError`, `I2CError`, `GPIOError`).
func thrownError<T, E: Error>(from what: String, _ body: () throws(E) -> T) throws(CheckFailure) -> E {
    let value: T
    do {
        value = try body()
    } catch {
        return error
    }
    throw CheckFailure("\(what) succeeded (returned \(value)); expected it to throw")
}

func expectEqual<T: Equatable>(_ got: T, _ want: T, _ what: String) throws(CheckFailure) {
    guard got == want else { throw CheckFailure("\(what): got \(got), want \(want)") }
}

/// Converted values are exact binary fractions here, so the tolerance only absorbs rounding of the scale.
func expectClose(_ got: Double, _ want: Double, _ what: String, tolerance: Double = 1e-9) throws(CheckFailure) {
    guard abs(got - want) <= tolerance else { throw CheckFailure("\(what): got \(got), want \(want) ± \(tolerance)") }
}

func expect(_ condition: Bool, _ reason: @autoclosure () -> String) throws(CheckFailure) {
    guard condition else { throw CheckFailure(reason()) }
}

/// Bytes as `0x12 0xAB ...`, the way i2cget prints a block.
func hexBytes(_ bytes: [UInt8]) -> String {
    bytes.map { "0x" + hexByte($0) }.joined(separator: " ")
}

func hexByte(_ value: UInt8) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return digits.count == 1 ? "0" + digits : digits
}
