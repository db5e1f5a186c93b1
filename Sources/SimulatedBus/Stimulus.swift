import KneeloadCore

/// What the physical world presents to a simulated chip at a moment: the motion an IMU feels, the voltage
/// at an ADC input, the magnet an encoder sees. Simulated chips sample it at their own output data rate.
/// Time is seconds since power-on.
public protocol InertialStimulus: Sendable {
    /// Specific force in g and angular rate in °/s, both along the chip's own axes.
    func inertial(at time: Double) -> InertialState
}

public struct InertialState: Sendable, Hashable {
    public var specificForce: Vector3
    public var angularRate: Vector3
    public init(specificForce: Vector3, angularRate: Vector3) {
        self.specificForce = specificForce
        self.angularRate = angularRate
    }
    /// Lying still with the chip's z axis up.
    public static let resting = InertialState(specificForce: Vector3(0, 0, 1), angularRate: .zero)
}

public protocol AnalogStimulus: Sendable {
    /// The voltage on analog input `channel` (0...3) against ground.
    func volts(channel: Int, at time: Double) -> Double
}

public protocol MagneticStimulus: Sendable {
    /// The magnet's angle as the encoder sees it, in degrees, and its field strength in millitesla.
    func magnet(at time: Double) -> MagnetState
}

public struct MagnetState: Sendable, Hashable {
    public var angleDeg: Double
    /// The AS5600 wants roughly 30–90 mT at its face; below that it reports "too weak", near zero "no magnet".
    public var fieldMilliTesla: Double
    public init(angleDeg: Double, fieldMilliTesla: Double) {
        self.angleDeg = angleDeg
        self.fieldMilliTesla = fieldMilliTesla
    }
}

/// A stimulus that never changes, for tests.
public struct ConstantStimulus: InertialStimulus, AnalogStimulus, MagneticStimulus {
    public var inertialState: InertialState
    public var voltage: Double
    public var magnetState: MagnetState

    public init(
        inertial: InertialState = .resting, volts: Double = 0,
        magnet: MagnetState = MagnetState(angleDeg: 0, fieldMilliTesla: 60)
    ) {
        inertialState = inertial
        voltage = volts
        magnetState = magnet
    }

    public func inertial(at time: Double) -> InertialState { inertialState }
    public func volts(channel: Int, at time: Double) -> Double { voltage }
    public func magnet(at time: Double) -> MagnetState { magnetState }
}

/// A stimulus computed by a closure, for tests and for wiring the gait simulator to the chips.
public struct ClosureStimulus: InertialStimulus, AnalogStimulus, MagneticStimulus {
    private let inertialBody: @Sendable (Double) -> InertialState
    private let voltsBody: @Sendable (Int, Double) -> Double
    private let magnetBody: @Sendable (Double) -> MagnetState

    public init(
        inertial: @escaping @Sendable (Double) -> InertialState = { _ in .resting },
        volts: @escaping @Sendable (Int, Double) -> Double = { _, _ in 0 },
        magnet: @escaping @Sendable (Double) -> MagnetState = { _ in MagnetState(angleDeg: 0, fieldMilliTesla: 60) }
    ) {
        inertialBody = inertial
        voltsBody = volts
        magnetBody = magnet
    }

    public func inertial(at time: Double) -> InertialState { inertialBody(time) }
    public func volts(channel: Int, at time: Double) -> Double { voltsBody(channel, time) }
    public func magnet(at time: Double) -> MagnetState { magnetBody(time) }
}
