/// Runs named checks and prints one result line each, in the form the harness's `/init` counts:
/// `PASS: name` (details, if any, on indented lines after it) or `FAIL: name: reason`.
final class CheckRecorder {
    private(set) var passed = 0
    private(set) var failed = 0

    /// Runs `body`; what it returns is printed under the PASS line, what it throws is the FAIL reason.
    func check(_ name: String, _ body: () throws(CheckFailure) -> String) {
        do {
            let detail = try body()
            passed += 1
            Console.line("PASS: \(name)")
            if !detail.isEmpty { Console.line("    \(detail)") }
        } catch {
            failed += 1
            Console.line("FAIL: \(name): \(error.reason)")
        }
    }

    /// Records a failure that is not one check's (for example: the bus could not be opened, so the checks
    /// that need it were skipped), so the run cannot look green.
    func fail(_ name: String, _ reason: String) {
        failed += 1
        Console.line("FAIL: \(name): \(reason)")
    }
}
