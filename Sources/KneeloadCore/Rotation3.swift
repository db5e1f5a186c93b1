#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A 3×3 rotation matrix, stored by rows. Used to describe how a sensor sits on the shank (strap
/// misalignment in simulation, the upright pose found by calibration in the engine).
public struct Rotation3: Sendable, Hashable {
    public var row0: Vector3
    public var row1: Vector3
    public var row2: Vector3

    public init(rows row0: Vector3, _ row1: Vector3, _ row2: Vector3) {
        self.row0 = row0
        self.row1 = row1
        self.row2 = row2
    }

    public static let identity = Rotation3(rows: Vector3(1, 0, 0), Vector3(0, 1, 0), Vector3(0, 0, 1))

    /// Rotation by `degrees` about `axis` (right-hand rule).
    public static func about(_ axis: Vector3.Axis, degrees: Double) -> Rotation3 {
        let a = degrees * .pi / 180
        let c = cos(a), s = sin(a)
        switch axis {
        case .x: return Rotation3(rows: Vector3(1, 0, 0), Vector3(0, c, -s), Vector3(0, s, c))
        case .y: return Rotation3(rows: Vector3(c, 0, s), Vector3(0, 1, 0), Vector3(-s, 0, c))
        case .z: return Rotation3(rows: Vector3(c, -s, 0), Vector3(s, c, 0), Vector3(0, 0, 1))
        }
    }

    /// Roll about x, then pitch about y, then yaw about z (R = Rz · Ry · Rx).
    public static func rollPitchYaw(rollDeg: Double, pitchDeg: Double, yawDeg: Double) -> Rotation3 {
        about(.z, degrees: yawDeg) * about(.y, degrees: pitchDeg) * about(.x, degrees: rollDeg)
    }

    /// The smallest rotation that turns unit direction `from` onto unit direction `to` (Rodrigues).
    public static func aligning(_ from: Vector3, to: Vector3) -> Rotation3 {
        let a = from * (1 / max(from.norm, 1e-12))
        let b = to * (1 / max(to.norm, 1e-12))
        let v = a.cross(b)
        let c = a.dot(b)
        if c < -1 + 1e-9 {
            // Opposite directions: half a turn about any axis perpendicular to `a`.
            let helper = abs(a.x) < 0.9 ? Vector3(1, 0, 0) : Vector3(0, 1, 0)
            let axis = a.cross(helper) * (1 / a.cross(helper).norm)
            return Rotation3(
                rows: Vector3(2 * axis.x * axis.x - 1, 2 * axis.x * axis.y, 2 * axis.x * axis.z),
                Vector3(2 * axis.y * axis.x, 2 * axis.y * axis.y - 1, 2 * axis.y * axis.z),
                Vector3(2 * axis.z * axis.x, 2 * axis.z * axis.y, 2 * axis.z * axis.z - 1))
        }
        let k = 1 / (1 + c)
        return Rotation3(
            rows: Vector3(v.x * v.x * k + c, v.x * v.y * k - v.z, v.x * v.z * k + v.y),
            Vector3(v.y * v.x * k + v.z, v.y * v.y * k + c, v.y * v.z * k - v.x),
            Vector3(v.z * v.x * k - v.y, v.z * v.y * k + v.x, v.z * v.z * k + c))
    }

    @inlinable
    public static func * (m: Rotation3, v: Vector3) -> Vector3 {
        Vector3(m.row0.dot(v), m.row1.dot(v), m.row2.dot(v))
    }

    public static func * (a: Rotation3, b: Rotation3) -> Rotation3 {
        let t = b.transposed
        return Rotation3(
            rows: Vector3(a.row0.dot(t.row0), a.row0.dot(t.row1), a.row0.dot(t.row2)),
            Vector3(a.row1.dot(t.row0), a.row1.dot(t.row1), a.row1.dot(t.row2)),
            Vector3(a.row2.dot(t.row0), a.row2.dot(t.row1), a.row2.dot(t.row2)))
    }

    /// The inverse rotation.
    public var transposed: Rotation3 {
        Rotation3(
            rows: Vector3(row0.x, row1.x, row2.x), Vector3(row0.y, row1.y, row2.y), Vector3(row0.z, row1.z, row2.z))
    }
}
