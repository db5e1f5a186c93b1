/// The kernel's record of every level written to a GPIO line: ftrace's `gpio:gpio_value` event (Linux
/// include/trace/events/gpio.h, printed as `gpio_value: <global number> set <0|1>`), which gpiolib emits for
/// each line it drives, both when a line is requested as an output and for every value set through the
/// character device. gpio-sim forgets a released line's last level (its `value` falls back to the pull),
/// so this is what shows that our lines were driven to idle before they were released. /init mounts tracefs.
struct GPIOValueTrace {
    static let root = "/sys/kernel/tracing"

    /// Switches the event on (once per run) and empties the buffer.
    func start() throws(CheckFailure) {
        try SysfsFile.write(Self.root + "/events/gpio/gpio_value/enable", "1")
        try SysfsFile.write(Self.root + "/trace", "", truncate: true)
    }

    /// The levels set on global GPIO `number` since `start()`, oldest first.
    func levelsSet(gpio number: Int) throws(CheckFailure) -> [Int] {
        let marker = "gpio_value: \(number) set "
        var levels: [Int] = []
        for line in try SysfsFile.read(Self.root + "/trace").split(separator: "\n") {
            guard let range = line.firstRange(of: marker), let level = Int(line[range.upperBound...].trimmed)
            else { continue }
            levels.append(level)
        }
        return levels
    }
}
