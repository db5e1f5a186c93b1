/// How a line is wired: which physical level means "on" (an output driving a buzzer, a pressed button).
/// Polarity is applied here, in Swift, and never by the kernel, so libgpiod 1.6 and 2.x (which name and
/// report active-low differently) behave the same, and the simulated chip records physical levels.
public enum LinePolarity: String, Sendable, Hashable, CaseIterable {
    /// High is on: an LED or buzzer driver between the pin and ground; a button to 3.3 V with a pull-down.
    case activeHigh = "active_high"
    /// Low is on: a load between 3.3 V and the pin; a button to ground with a pull-up.
    case activeLow = "active_low"

    /// The physical level (true = high) that means `active`.
    public func level(active: Bool) -> Bool {
        self == .activeHigh ? active : !active
    }

    /// Whether the physical `level` means active.
    public func isActive(level: Bool) -> Bool {
        self == .activeHigh ? level : !level
    }
}
