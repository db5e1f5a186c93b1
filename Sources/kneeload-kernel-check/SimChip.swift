/// The gpio-sim device that Tests/kernel/init creates through configfs before the `gpio` section runs, and
/// what the checks expect of it. The init script's `section_gpio` carries the same names and numbers; change
/// both together.
///
/// Two banks, so two gpiochips: bank 0 is a decoy without line names that the search by name must look
/// past; bank 1 stands for a Raspberry Pi header (28 lines, offsets = BCM numbers) with the three lines the
/// daemon's default configuration names. Its sysfs directory (`.../gpio-sim.N/gpiochipM`) is passed to the
/// tool with `--sim`.
enum SimChip {
    struct Line {
        var name: String
        var offset: UInt32
    }

    static let decoyLabel = "kneeload-decoy"
    static let headerLabel = "kneeload-header"
    static let headerLineCount = 28
    /// Active-high: the buzzer driver's input between the pin and ground.
    static let buzzer = Line(name: "GPIO17", offset: 17)
    /// Active-low: the LED between 3.3 V and the pin.
    static let led = Line(name: "GPIO27", offset: 27)
    /// Input, active-low with the pull-up: the button to ground. The simulator's `pull` plays the button.
    static let button = Line(name: "GPIO22", offset: 22)
    /// No line has this name.
    static let unknownName = "GPIO99"
}
