/// A GPIO line as the configuration names it: by the kernel's line name, looked up on every chip (a Raspberry
/// Pi 5 moved the header from gpiochip4 to gpiochip0 at kernel 6.6.45, so names outlive chip numbers), or by
/// chip and offset.
///
/// Text forms (`init(parsing:)`): `GPIO17` (a line name, as `gpioinfo` lists it), `gpiochip0:17` (chip in
/// the device directory, offset) or `/dev/gpiochip0:17` (chip path, offset).
public enum GPIOLineSpec: Sendable, Hashable, CustomStringConvertible {
    case named(String)
    case chipOffset(chip: String, offset: UInt32)

    /// The kernel keeps line names in 32-byte fields with a terminating NUL (`GPIO_MAX_NAME_SIZE`,
    /// include/uapi/linux/gpio.h), so a longer name can never match.
    public static let maximumNameLength = 31

    /// Why a line text was refused.
    public struct ParseError: Error, Hashable, CustomStringConvertible {
        public enum Problem: Hashable, Sendable {
            case empty
            case badOffset(String)
            case nameTooLong(Int)
        }

        public var text: String
        public var problem: Problem

        public init(text: String, problem: Problem) {
            self.text = text
            self.problem = problem
        }

        public var description: String {
            switch problem {
            case .empty:
                "GPIO line \"\(text)\": empty; give a line name (GPIO17) or chip:offset (gpiochip0:17)"
            case .badOffset(let offset):
                "GPIO line \"\(text)\": offset \"\(offset)\" is not a whole number from 0 to \(UInt32.max)"
            case .nameTooLong(let length):
                "GPIO line \"\(text)\": a name of \(length) bytes is longer than the kernel's "
                    + "\(GPIOLineSpec.maximumNameLength)-byte line names"
            }
        }
    }

    public init(parsing text: String) throws(ParseError) {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw ParseError(text: text, problem: .empty) }
        if let colon = trimmed.lastIndex(of: ":") {
            let chip = String(trimmed[..<colon]).trimmingWhitespace()
            let offsetText = String(trimmed[trimmed.index(after: colon)...]).trimmingWhitespace()
            if chip.hasPrefix("gpiochip") || chip.hasPrefix("/") {
                guard !offsetText.isEmpty, offsetText.allSatisfy(\.isASCIIDigit), let offset = UInt32(offsetText)
                else { throw ParseError(text: text, problem: .badOffset(offsetText)) }
                self = .chipOffset(chip: chip, offset: offset)
                return
            }
        }
        let length = trimmed.utf8.count
        guard length <= Self.maximumNameLength else { throw ParseError(text: text, problem: .nameTooLong(length)) }
        self = .named(trimmed)
    }

    /// The configuration text form: parsing it gives the same spec back.
    public var description: String {
        switch self {
        case .named(let name): name
        case .chipOffset(let chip, let offset): "\(chip):\(offset)"
        }
    }

    /// The chip's device path: a chip given as a path is used as is, a bare chip name is looked for in
    /// `deviceDirectory`. `nil` for a named line (its chip is found by searching).
    public func chipPath(in deviceDirectory: String) -> String? {
        guard case .chipOffset(let chip, _) = self else { return nil }
        return chip.hasPrefix("/") ? chip : deviceDirectory + "/" + chip
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let characters = drop(while: \.isWhitespace)
        return String(characters.reversed().drop(while: \.isWhitespace).reversed())
    }
}
