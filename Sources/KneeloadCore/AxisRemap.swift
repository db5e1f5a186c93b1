/// Maps a chip's own axes into the shank frame of CONTRACTS §1, so that a chip mounted in another
/// orientation (or on the other leg) needs configuration, never an engine change.
///
/// Written as three signed chip axes giving the frame's x, y and z: `"-y,z,-x"` means
/// frame x = −chip y, frame y = chip z, frame z = −chip x. Both frames are right-handed, so a valid remap is a
/// rotation: a signed permutation with determinant +1. A mirror image is rejected.
public struct AxisRemap: Sendable, Hashable, CustomStringConvertible {
    public struct SignedAxis: Sendable, Hashable {
        public var axis: Vector3.Axis
        public var negated: Bool
        public init(_ axis: Vector3.Axis, negated: Bool = false) {
            self.axis = axis
            self.negated = negated
        }
    }

    public let frameX: SignedAxis
    public let frameY: SignedAxis
    public let frameZ: SignedAxis

    /// Chip axes are the frame's axes.
    public static let identity = AxisRemap(
        validated: SignedAxis(.x), SignedAxis(.y), SignedAxis(.z))

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case syntax(String)
        case repeatedAxis(String)
        case mirrored(String)

        public var description: String {
            switch self {
            case .syntax(let text):
                "axis remap '\(text)' is not three signed axes such as \"-y,z,-x\""
            case .repeatedAxis(let text):
                "axis remap '\(text)' uses a chip axis twice; each of x, y, z must appear once"
            case .mirrored(let text):
                "axis remap '\(text)' is a mirror image (left-handed); negate one axis to make it a rotation"
            }
        }
    }

    private init(validated x: SignedAxis, _ y: SignedAxis, _ z: SignedAxis) {
        frameX = x
        frameY = y
        frameZ = z
    }

    public init(frameX: SignedAxis, frameY: SignedAxis, frameZ: SignedAxis) throws(Problem) {
        let text = Self.text(frameX, frameY, frameZ)
        guard Set([frameX.axis, frameY.axis, frameZ.axis]).count == 3 else { throw .repeatedAxis(text) }
        let remap = AxisRemap(validated: frameX, frameY, frameZ)
        guard remap.determinant == 1 else { throw .mirrored(text) }
        self = remap
    }

    /// Parses `"x,y,z"`-style text: three comma-separated chip axes, each optionally prefixed by `-` or `+`.
    public init(parsing text: String) throws(Problem) {
        let parts = text.split(separator: ",").map { String($0).strippingSpaces() }
        guard parts.count == 3 else { throw .syntax(text) }
        var axes: [SignedAxis] = []
        for part in parts {
            var name = Substring(part)
            var negated = false
            if let sign = name.first, sign == "-" || sign == "+" {
                negated = sign == "-"
                name = name.dropFirst()
            }
            switch name.lowercased() {
            case "x": axes.append(SignedAxis(.x, negated: negated))
            case "y": axes.append(SignedAxis(.y, negated: negated))
            case "z": axes.append(SignedAxis(.z, negated: negated))
            default: throw .syntax(text)
            }
        }
        do {
            try self.init(frameX: axes[0], frameY: axes[1], frameZ: axes[2])
        } catch {
            // Report the text as the user wrote it.
            switch error {
            case .repeatedAxis: throw .repeatedAxis(text)
            case .mirrored: throw .mirrored(text)
            case .syntax: throw .syntax(text)
            }
        }
    }

    /// The vector in the shank frame, given the vector in chip axes.
    @inlinable
    public func apply(_ chip: Vector3) -> Vector3 {
        Vector3(Self.pick(frameX, chip), Self.pick(frameY, chip), Self.pick(frameZ, chip))
    }

    /// The vector in chip axes, given the vector in the shank frame (the inverse rotation).
    public func unapply(_ frame: Vector3) -> Vector3 {
        var chip = Vector3.zero
        chip[frameX.axis] = frameX.negated ? -frame.x : frame.x
        chip[frameY.axis] = frameY.negated ? -frame.y : frame.y
        chip[frameZ.axis] = frameZ.negated ? -frame.z : frame.z
        return chip
    }

    @inlinable
    static func pick(_ signed: SignedAxis, _ v: Vector3) -> Double {
        signed.negated ? -v[signed.axis] : v[signed.axis]
    }

    private var determinant: Int {
        // Rows of the matrix are the unit chip vectors picked for frame x, y, z.
        func row(_ s: SignedAxis) -> [Int] {
            var r = [0, 0, 0]
            r[s.axis.rawValue] = s.negated ? -1 : 1
            return r
        }
        let a = row(frameX), b = row(frameY), c = row(frameZ)
        return a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0])
            + a[2] * (b[0] * c[1] - b[1] * c[0])
    }

    private static func text(_ axes: SignedAxis...) -> String {
        axes.map { ($0.negated ? "-" : "") + "\($0.axis)" }.joined(separator: ",")
    }

    public var description: String { Self.text(frameX, frameY, frameZ) }
}

extension String {
    fileprivate func strippingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
