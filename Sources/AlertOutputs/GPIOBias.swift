import CGpiod

/// The pull resistor an input line is requested with.
public enum GPIOBias: String, Sendable, Hashable, CaseIterable {
    /// Whatever firmware or the device tree set.
    case asIs = "as_is"
    /// No pull: the button circuit has its own resistor.
    case disabled
    case pullUp = "pull_up"
    case pullDown = "pull_down"

    /// The level a line with this bias reads when nothing drives it, where the bias decides it.
    public var idleLevel: Bool? {
        switch self {
        case .pullUp: true
        case .pullDown: false
        case .asIs, .disabled: nil
        }
    }

    var shimValue: cgpiod_bias {
        switch self {
        case .asIs: CGPIOD_BIAS_AS_IS
        case .disabled: CGPIOD_BIAS_DISABLED
        case .pullUp: CGPIOD_BIAS_PULL_UP
        case .pullDown: CGPIOD_BIAS_PULL_DOWN
        }
    }
}
