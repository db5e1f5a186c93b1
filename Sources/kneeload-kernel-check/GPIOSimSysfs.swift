/// One gpio-sim bank's sysfs directory (`/sys/devices/platform/gpio-sim.N/gpiochipM`, Linux
/// Documentation/admin-guide/gpio/gpio-sim.rst): per line, `sim_gpioX/value` is the level the line has now
/// (what a consumer drives, or the pull on an undriven line), and `sim_gpioX/pull` ("pull-up"/"pull-down")
/// plays the outside world on an input. The checks read the lines here, never through libgpiod.
struct GPIOSimSysfs {
    enum Pull: String {
        case up = "pull-up"
        case down = "pull-down"
    }

    let directory: String

    /// The bank's character device: `/dev/` and the directory's last component.
    var chipDevice: String {
        "/dev/" + (directory.split(separator: "/").last.map(String.init) ?? directory)
    }

    /// The level of line `offset`: 0 or 1.
    func level(_ offset: UInt32) throws(CheckFailure) -> Int {
        let text = try SysfsFile.read(path(offset, "value")).trimmed
        guard let level = Int(text), level == 0 || level == 1 else {
            throw CheckFailure("\(path(offset, "value")) holds '\(text)', not 0 or 1")
        }
        return level
    }

    func pull(_ offset: UInt32) throws(CheckFailure) -> String {
        try SysfsFile.read(path(offset, "pull")).trimmed
    }

    func setPull(_ offset: UInt32, _ pull: Pull) throws(CheckFailure) {
        try SysfsFile.write(path(offset, "pull"), pull.rawValue)
    }

    /// The global GPIO number of line 0 (what ftrace's gpio events name lines by): the `base` of the legacy
    /// sysfs entry `/sys/class/gpio/gpiochipB` whose `label` is this bank's.
    func globalBase(label: String) throws(CheckFailure) -> Int {
        let classDirectory = "/sys/class/gpio"
        for entry in try SysfsFile.list(classDirectory) where entry.hasPrefix("gpiochip") {
            let chip = classDirectory + "/" + entry
            guard (try? SysfsFile.read(chip + "/label").trimmed) == label else { continue }
            let text = try SysfsFile.read(chip + "/base").trimmed
            guard let base = Int(text) else { throw CheckFailure("\(chip)/base holds '\(text)'") }
            return base
        }
        throw CheckFailure("no chip labelled \(label) in \(classDirectory)")
    }

    private func path(_ offset: UInt32, _ attribute: String) -> String {
        "\(directory)/sim_gpio\(offset)/\(attribute)"
    }
}

extension StringProtocol {
    /// Without the spaces and newline sysfs puts around a value.
    var trimmed: String {
        let start = drop { $0.isWhitespace }
        return String(start.reversed().drop { $0.isWhitespace }.reversed())
    }
}
