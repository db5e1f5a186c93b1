import AlertOutputs
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// LinuxGPIO without GPIO hardware: every way of not finding a line must be a clear typed error.
@Suite struct LinuxGPIOTests {
    /// A fresh temporary directory, removed with its files by `remove`.
    final class ScratchDirectory {
        let path: String
        private var files: [String] = []

        init() {
            var template = Array("/tmp/alertoutputs-test.XXXXXX".utf8CString)
            path = template.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress, let made = mkdtemp(base) else { return "/nonexistent-scratch" }
                return String(cString: made)
            }
        }

        func touch(_ name: String) {
            let file = path + "/" + name
            let descriptor = open(file, O_CREAT | O_WRONLY, 0o644)
            if descriptor >= 0 { close(descriptor) }
            files.append(file)
        }

        deinit {
            for file in files { unlink(file) }
            rmdir(path)
        }
    }

    static func hasGPIOChips() -> Bool {
        guard let directory = opendir("/dev") else { return false }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasPrefix("gpiochip") { return true }
        }
        return false
    }

    @Test func theShimIsBuiltOnALibgpiodAPI() {
        #expect([1, 2].contains(LinuxGPIO.apiVersion))
        #expect(LinuxGPIO.libraryVersion.hasPrefix("\(LinuxGPIO.apiVersion)"))
    }

    @Test func aMachineWithoutGPIOChipsSaysSo() throws {
        let scratch = ScratchDirectory()
        let gpio = LinuxGPIO(deviceDirectory: scratch.path)
        do {
            _ = try gpio.openOutput(.named("GPIO17"))
            Issue.record("a directory without chips cannot have GPIO17")
        } catch {
            #expect(error.kind == .noChips)
            #expect(error.operation == .find)
            #expect(error.chipsSearched == 0)
            #expect(error.description.hasPrefix("GPIO line \"GPIO17\": find failed: no GPIO chip in \(scratch.path)"))
        }
    }

    @Test(.enabled(if: !hasGPIOChips(), "this machine has GPIO chips"))
    func thisMachinesDevHasNoChipsAndTheErrorSaysSo() {
        do {
            _ = try LinuxGPIO().openInput(.named("GPIO17"), bias: .pullUp)
            Issue.record("no chip, no line")
        } catch {
            #expect(error.kind == .noChips)
            #expect(error.description.contains("no GPIO chip in /dev (no gpiochip* device)"))
        }
    }

    @Test func aFileNamedLikeAChipIsNotAChip() {
        let scratch = ScratchDirectory()
        scratch.touch("gpiochip0")
        scratch.touch("gpiochip-not-a-number")
        do {
            _ = try LinuxGPIO(deviceDirectory: scratch.path).openOutput(.named("GPIO17"))
            Issue.record("a regular file is no chip")
        } catch {
            #expect(error.kind == .notAChip)
            #expect(error.chipsSearched == 1)
            #expect(error.errno == ENOTTY)
            #expect(
                error.description
                    == "GPIO line \"GPIO17\": find failed: Inappropriate ioctl for device (errno 25) opening the 1 "
                    + "gpiochip device(s) in \(scratch.path), which are not GPIO chip devices")
        }
    }

    @Test func aMissingChipPathIsChipNotFound() {
        let scratch = ScratchDirectory()
        do {
            _ = try LinuxGPIO(deviceDirectory: scratch.path).openOutput(.chipOffset(chip: "gpiochip3", offset: 4))
            Issue.record("no such chip")
        } catch {
            #expect(error.kind == .chipNotFound)
            #expect(error.chip == scratch.path + "/gpiochip3")
            #expect(error.description.hasPrefix("GPIO line \"gpiochip3:4\" (\(scratch.path)/gpiochip3 offset 4): request as output failed: "))
            #expect(error.description.hasSuffix("; no such chip"))
        }
    }

    @Test func anotherCharacterDeviceIsNotAChip() {
        do {
            _ = try LinuxGPIO().openInput(.chipOffset(chip: "/dev/null", offset: 0), bias: .pullUp)
            Issue.record("/dev/null is no chip")
        } catch {
            #expect(error.kind == .notAChip)
            #expect(error.description.contains("/dev/null is not a GPIO chip device"))
        }
    }

    @Test func theEventClockIsMonotonic() {
        let first = LinuxGPIO.eventClockNow()
        let second = LinuxGPIO.eventClockNow()
        #expect(first > .zero)
        #expect(second >= first)
    }

    @Test func errorDescriptionsGiveHints() {
        let denied = GPIOError(line: "GPIO17", operation: .requestOutput, chip: "/dev/gpiochip0", offset: 17, errno: EACCES)
        #expect(denied.kind == .permissionDenied)
        #expect(denied.description.hasSuffix("; is the user in the gpio group?"))
        let busy = GPIOError(line: "GPIO17", operation: .requestInput, chip: "/dev/gpiochip0", offset: 17, errno: EBUSY)
        #expect(busy.description.hasSuffix("; another program holds the line"))
        let offset = GPIOError(
            line: "gpiochip0:60", operation: .requestOutput, chip: "/dev/gpiochip0", offset: 60, errno: EINVAL,
            chipLineCount: 54)
        #expect(offset.kind == .invalidOffset)
        let missing = GPIOError(line: "BUZZER", operation: .find, chip: "/dev", errno: ENOENT, chipsSearched: 2)
        #expect(
            missing.description
                == "GPIO line \"BUZZER\": find failed: no line of that name on the 2 GPIO chip(s) in /dev; list the names with gpioinfo")
    }
}

@Suite struct GPIOLineSpecTests {
    @Test func namesAndChipOffsets() throws {
        #expect(try GPIOLineSpec(parsing: "GPIO17") == .named("GPIO17"))
        #expect(try GPIOLineSpec(parsing: "  GPIO17 ") == .named("GPIO17"))
        #expect(try GPIOLineSpec(parsing: "gpiochip0:17") == .chipOffset(chip: "gpiochip0", offset: 17))
        #expect(try GPIOLineSpec(parsing: "/dev/gpiochip4 : 5") == .chipOffset(chip: "/dev/gpiochip4", offset: 5))
        // A name may contain a colon when what precedes it is not a chip.
        #expect(try GPIOLineSpec(parsing: "PWR:LED") == .named("PWR:LED"))
        for text in ["GPIO17", "gpiochip0:17", "/dev/gpiochip4:5"] {
            #expect(try GPIOLineSpec(parsing: text).description == text)
        }
        #expect(GPIOLineSpec.chipOffset(chip: "gpiochip0", offset: 1).chipPath(in: "/dev") == "/dev/gpiochip0")
        #expect(GPIOLineSpec.chipOffset(chip: "/x/gpiochip0", offset: 1).chipPath(in: "/dev") == "/x/gpiochip0")
        #expect(GPIOLineSpec.named("GPIO17").chipPath(in: "/dev") == nil)
    }

    @Test func badTextsAreRefusedWithTheReason() {
        let cases: [(String, GPIOLineSpec.ParseError.Problem)] = [
            ("", .empty), ("   ", .empty), ("gpiochip0:", .badOffset("")), ("gpiochip0:x", .badOffset("x")),
            ("gpiochip0:-1", .badOffset("-1")), ("gpiochip0:99999999999", .badOffset("99999999999")),
            (String(repeating: "A", count: 32), .nameTooLong(32)),
        ]
        for (text, problem) in cases {
            #expect(throws: GPIOLineSpec.ParseError(text: text, problem: problem), "\"\(text)\"") {
                try GPIOLineSpec(parsing: text)
            }
        }
        let error = GPIOLineSpec.ParseError(text: "gpiochip0:x", problem: .badOffset("x"))
        #expect(error.description == "GPIO line \"gpiochip0:x\": offset \"x\" is not a whole number from 0 to 4294967295")
    }
}
