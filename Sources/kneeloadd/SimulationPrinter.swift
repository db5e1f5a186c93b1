import AlertOutputs
import Foundation
import KneeloadDaemon
import KneeloadEngine
import Synchronization

/// Prints what a simulated run does that a person watching wants to see: alerts, acknowledgements, sensor
/// state changes, stair-descent flights and every GPIO line change, stamped with scenario time.
final class SimulationPrinter: Sendable {
    private let gpio: SimulatedGPIOChip
    private let start: Duration
    /// Engine time at `start` (a resumed session's clock).
    private let offset: Double
    private let printedChanges = Mutex(0)

    init(gpio: SimulatedGPIOChip, start: Duration, engineTimeOffset: Double) {
        self.gpio = gpio
        self.start = start
        offset = engineTimeOffset
    }

    func print(_ event: DaemonEvent) {
        switch event {
        case .engine(.alert(let alert)):
            write(alert.t, "\(alert.level == .alert ? "ALERT" : "warning") \(alert.kind.rawValue): \(Self.format(alert.value)) passed \(Self.format(alert.limit))")
        case .engine(.stairDescentStep), .engine(.step):
            return
        case .acknowledged(let alerts, let source):
            write(nil, "acknowledged by \(source): \(alerts.map(\.kind.rawValue).joined(separator: ", "))")
        case .sensor(let name, let chip, let state, let detail):
            write(nil, "sensor \(name) (\(chip)) \(state)\(detail.isEmpty ? "" : ": \(detail)")")
        case .configurationReloaded(let t):
            write(t, "configuration reloaded")
        }
    }

    func printLineChanges() {
        let changes = gpio.changes
        let new = printedChanges.withLock { printed in
            defer { printed = changes.count }
            return changes[min(printed, changes.count)...]
        }
        for change in new {
            write((change.time - start).seconds + offset, "line \(change.line) \(change.level ? "high" : "low")")
        }
    }

    private func write(_ t: Double?, _ text: String) {
        let stamp = t.map { String(format: "%9.2f s  ", $0) } ?? "             "
        FileHandle.standardOutput.write(Data((stamp + text + "\n").utf8))
    }

    /// One decimal, or three significant digits for small values (a test's tiny limit still reads apart).
    static func format(_ x: Double) -> String { String(format: abs(x) >= 10 ? "%.1f" : "%.3g", x) }
}
