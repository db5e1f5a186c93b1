/// A 3-vector of doubles: accelerations in g, angular rates in °/s, or unit directions.
public struct Vector3: Sendable, Hashable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var z: Double

    @inlinable
    public init(_ x: Double, _ y: Double, _ z: Double) {
        self.x = x
        self.y = y
        self.z = z
    }

    /// Computed and inlinable, not a stored `static let`: reading a global from another module goes through a
    /// lazy-initialisation accessor call, which the engine would pay per sample.
    @inlinable public static var zero: Vector3 { Vector3(0, 0, 0) }

    @inlinable public var norm: Double { (x * x + y * y + z * z).squareRoot() }

    @inlinable public subscript(axis: Axis) -> Double {
        get {
            switch axis {
            case .x: x
            case .y: y
            case .z: z
            }
        }
        set {
            switch axis {
            case .x: x = newValue
            case .y: y = newValue
            case .z: z = newValue
            }
        }
    }

    @inlinable public static func + (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x + b.x, a.y + b.y, a.z + b.z) }
    @inlinable public static func - (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x - b.x, a.y - b.y, a.z - b.z) }
    @inlinable public static func * (a: Vector3, s: Double) -> Vector3 { Vector3(a.x * s, a.y * s, a.z * s) }
    @inlinable public static prefix func - (a: Vector3) -> Vector3 { Vector3(-a.x, -a.y, -a.z) }
    @inlinable public func dot(_ b: Vector3) -> Double { x * b.x + y * b.y + z * b.z }
    @inlinable public func cross(_ b: Vector3) -> Vector3 {
        Vector3(y * b.z - z * b.y, z * b.x - x * b.z, x * b.y - y * b.x)
    }

    public var description: String { "(\(x), \(y), \(z))" }

    /// The three axes of a right-handed frame.
    public enum Axis: Int, Sendable, CaseIterable {
        case x = 0, y = 1, z = 2
    }
}
