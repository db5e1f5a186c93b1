import AlertOutputs
import KneeloadYAML
import Yams

/// The `gpio:` section: the alert outputs, the acknowledge button and the alert patterns. Lines are named as
/// `GPIOLineSpec` reads them (`GPIO17`, `gpiochip0:17`); `none` leaves an output out.
///
/// ```yaml
/// gpio:
///   enabled: true
///   buzzer: GPIO17             # plays the pattern
///   vibration: none            # plays the pattern too
///   led: GPIO27                # shows the pattern, holds while an alert is unacknowledged
///   button: GPIO22             # acknowledges
///   outputs_active_low: false
///   button_active_low: true    # a button to ground with the pull-up on
///   button_bias: pull_up       # as_is | disabled | pull_up | pull_down
///   debounce_ms: 30
///   patterns:                  # per alert kind and level, AlertPattern syntax
///     cumulative_load.alert: "on 600ms, off 300ms, repeat 3"
/// ```
public struct GPIOSettings: Sendable, Equatable {
    public var enabled = true
    public var buzzer: GPIOLineSpec? = .named("GPIO17")
    public var vibration: GPIOLineSpec?
    public var led: GPIOLineSpec? = .named("GPIO27")
    public var buttonLine: GPIOLineSpec? = .named("GPIO22")
    public var outputPolarity = LinePolarity.activeHigh
    public var button = ButtonDebouncer.Configuration()
    public var patterns = AlertPatternTable.standard

    public init() {}

    static let keys = [
        "enabled", "buzzer", "vibration", "led", "button", "outputs_active_low", "button_active_low", "button_bias",
        "debounce_ms", "patterns",
    ]

    init(_ node: Node, fields: YAMLFields) throws(YAMLError) {
        let m = try fields.mapping(node, path: "gpio", allowed: Self.keys)
        if let n = m["enabled"] { enabled = try fields.bool(n, key: "gpio.enabled") }
        if let n = m["buzzer"] { buzzer = try Self.line(n, key: "gpio.buzzer", fields) }
        if let n = m["vibration"] { vibration = try Self.line(n, key: "gpio.vibration", fields) }
        if let n = m["led"] { led = try Self.line(n, key: "gpio.led", fields) }
        if let n = m["button"] { buttonLine = try Self.line(n, key: "gpio.button", fields) }
        if let n = m["outputs_active_low"] {
            outputPolarity = try fields.bool(n, key: "gpio.outputs_active_low") ? .activeLow : .activeHigh
        }
        if let n = m["button_active_low"] {
            button.polarity = try fields.bool(n, key: "gpio.button_active_low") ? .activeLow : .activeHigh
        }
        if let n = m["button_bias"] { button.bias = try fields.choice(n, key: "gpio.button_bias", as: GPIOBias.self) }
        if let n = m["debounce_ms"] {
            button.debounceTime = .milliseconds(try fields.integer(n, key: "gpio.debounce_ms", range: 1...1000, unit: "ms"))
        }
        if let n = m["patterns"] { try parsePatterns(n, fields: fields) }
        let named = [("buzzer", buzzer), ("vibration", vibration), ("led", led), ("button", buttonLine)]
        for (i, (key, spec)) in named.enumerated() {
            guard let spec else { continue }
            if let other = named[(i + 1)...].first(where: { $0.1 == spec }) {
                throw fields.error(
                    m[other.0], key: "gpio.\(other.0)", value: spec.description, "the same line as gpio.\(key)")
            }
        }
    }

    private mutating func parsePatterns(_ node: Node, fields: YAMLFields) throws(YAMLError) {
        let signals = AlertSignal.Kind.known.flatMap { kind in
            AlertSignal.Level.allCases.map { AlertSignal(kind, $0) }
        }
        let m = try fields.mapping(node, path: "gpio.patterns", allowed: signals.map(\.description))
        for signal in signals {
            guard let n = m[signal.description] else { continue }
            let key = "gpio.patterns.\(signal)"
            let text = try fields.string(n, key: key)
            do {
                patterns.set(try AlertPattern(parsing: text), for: signal)
            } catch {
                throw fields.error(n, key: key, value: text, error.description)
            }
        }
    }

    /// A line spec, or nil for `none`.
    private static func line(_ node: Node, key: String, _ fields: YAMLFields) throws(YAMLError) -> GPIOLineSpec? {
        let text = try fields.string(node, key: key)
        if text == "none" || text.isEmpty { return nil }
        do {
            return try GPIOLineSpec(parsing: text)
        } catch {
            throw fields.error(node, key: key, value: text, error.description)
        }
    }
}
