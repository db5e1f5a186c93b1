import KneeloadCore

/// Reads the replay CSV of CONTRACTS §2 from bytes already in memory.
///
/// UTF-8, comma-separated, `#` comment lines, one header line naming the columns in any order. Required:
/// `t_s`, `ax_g`, `ay_g`, `az_g`, `knee_flex_deg`; optional `gx_dps`, `gy_dps`, `gz_dps` (all three or the
/// gyro is ignored) and `pressure_pa`; unknown columns are skipped. Every row must have as many fields as
/// the header, numbers must be finite and `t_s` must increase strictly; the first row that breaks a rule
/// stops reading with a `ReplayCSVError` naming the file and line. Rows read before it stay valid.
public struct ReplayCSVReader {
    public let file: String
    public let hasGyro: Bool
    public let hasPressure: Bool
    /// The header's column names, in file order.
    public let columns: [String]
    /// 1-based number of the last line consumed.
    public private(set) var line = 0

    private let bytes: [UInt8]
    private var offset = 0
    private var previousTime = -Double.infinity
    /// For each column in file order, which sample field it feeds (or `ignored`).
    private let roles: [Role]

    private enum Role: Equatable {
        case time, ax, ay, az, gx, gy, gz, knee, pressure, ignored

        var name: String {
            switch self {
            case .time: "t_s"
            case .ax: "ax_g"
            case .ay: "ay_g"
            case .az: "az_g"
            case .gx: "gx_dps"
            case .gy: "gy_dps"
            case .gz: "gz_dps"
            case .knee: "knee_flex_deg"
            case .pressure: "pressure_pa"
            case .ignored: "?"
            }
        }
    }

    public init(file: String, bytes: [UInt8]) throws(ReplayCSVError) {
        self.file = file
        self.bytes = bytes
        // Skip a UTF-8 byte order mark.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { offset = 3 }
        guard let header = Self.nextContentLine(bytes, &offset, &line) else {
            throw ReplayCSVError(file: file, line: max(line, 1), problem: .empty)
        }
        guard let headerText = String(validating: bytes[header], as: UTF8.self) else {
            throw ReplayCSVError(file: file, line: line, problem: .invalidUTF8)
        }
        let names = headerText.split(separator: ",", omittingEmptySubsequences: false).map(Self.columnName)
        var seen = Set<String>()
        var roles: [Role] = []
        for name in names {
            guard seen.insert(name).inserted else {
                throw ReplayCSVError(file: file, line: line, problem: .duplicateColumn(name))
            }
            let role: Role =
                switch name {
                case "t_s": .time
                case "ax_g": .ax
                case "ay_g": .ay
                case "az_g": .az
                case "gx_dps": .gx
                case "gy_dps": .gy
                case "gz_dps": .gz
                case "knee_flex_deg": .knee
                case "pressure_pa": .pressure
                default: .ignored
                }
            roles.append(role)
        }
        let missing = [Role.time, .ax, .ay, .az, .knee].filter { !roles.contains($0) }.map(\.name)
        guard missing.isEmpty else {
            throw ReplayCSVError(file: file, line: line, problem: .missingColumns(missing))
        }
        let gyro = [Role.gx, .gy, .gz].allSatisfy(roles.contains)
        if !gyro { roles = roles.map { [.gx, .gy, .gz].contains($0) ? .ignored : $0 } }
        self.roles = roles
        columns = names
        hasGyro = gyro
        hasPressure = roles.contains(.pressure)
    }

    /// A header field as a column name: without spaces, tabs or a carriage return, and without the double
    /// quotes of an RFC 4180 quoted field (R's `write.csv` and spreadsheet exports quote every name).
    static func columnName(_ field: Substring) -> String {
        var name = String(field.filter { $0 != " " && $0 != "\t" && $0 != "\r" })
        if name.count >= 2 && name.hasPrefix("\"") && name.hasSuffix("\"") {
            name = String(name.dropFirst().dropLast())
        }
        return name
    }

    /// How far through the bytes reading has got, 0...1 (for progress displays).
    public var fractionRead: Double { bytes.isEmpty ? 1 : Double(min(offset, bytes.count)) / Double(bytes.count) }

    /// The next sample, or nil at the end of the file.
    public mutating func next() throws(ReplayCSVError) -> SensorSample? {
        guard let row = Self.nextContentLine(bytes, &offset, &line) else { return nil }
        var t = 0.0, ax = 0.0, ay = 0.0, az = 0.0, gx = 0.0, gy = 0.0, gz = 0.0, knee = 0.0, pressure = 0.0
        let fieldCount = roles.count
        let problem: ReplayCSVError.Problem? = bytes.withUnsafeBufferPointer { buffer in
            var start = row.lowerBound
            var index = 0
            var position = row.lowerBound
            while true {
                let atEnd = position == row.upperBound
                if atEnd || buffer[position] == UInt8(ascii: ",") {
                    if index < fieldCount {
                        let role = roles[index]
                        if role != .ignored {
                            guard let value = DecimalParser.parse(buffer, start, position) else {
                                return .notANumber(column: role.name, text: Self.text(buffer, start, position))
                            }
                            guard value.isFinite else {
                                return .notFinite(column: role.name, text: Self.text(buffer, start, position))
                            }
                            switch role {
                            case .time: t = value
                            case .ax: ax = value
                            case .ay: ay = value
                            case .az: az = value
                            case .gx: gx = value
                            case .gy: gy = value
                            case .gz: gz = value
                            case .knee: knee = value
                            case .pressure: pressure = value
                            case .ignored: break
                            }
                        }
                    }
                    index += 1
                    start = position + 1
                    if atEnd { break }
                }
                position += 1
            }
            return index == fieldCount ? nil : .fieldCount(expected: fieldCount, found: index)
        }
        if let problem { throw ReplayCSVError(file: file, line: line, problem: problem) }
        guard t > previousTime else {
            throw ReplayCSVError(file: file, line: line, problem: .timeNotIncreasing(previous: previousTime, current: t))
        }
        previousTime = t
        return SensorSample(
            time: t, accel: Vector3(ax, ay, az), gyro: hasGyro ? Vector3(gx, gy, gz) : nil, kneeFlexDeg: knee,
            pressurePa: hasPressure ? pressure : nil)
    }

    /// The next line that is neither blank nor a comment, without its newline; advances `line`.
    private static func nextContentLine(_ bytes: [UInt8], _ offset: inout Int, _ line: inout Int) -> Range<Int>? {
        while offset < bytes.count {
            let start = offset
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            offset = end + 1
            line += 1
            var contentEnd = end
            if contentEnd > start, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            if contentEnd == start || bytes[start] == UInt8(ascii: "#") { continue }
            return start..<contentEnd
        }
        return nil
    }

    private static func text(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        let slice = UnsafeBufferPointer(rebasing: buffer[start..<min(end, start + 40)])
        return String(decoding: slice, as: UTF8.self).filter { $0 != "\r" }
    }
}
