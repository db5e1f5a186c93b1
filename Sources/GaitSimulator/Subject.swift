/// The simulated person.
public struct Subject: Sendable, Hashable {
    /// Body height; segment lengths follow from it (Winter's ratios).
    public var heightM: Double
    /// Body mass: not needed for the motion, carried for the engine's load in newtons.
    public var massKg: Double
    /// Scales the knee-flexion amplitudes this person's segments get by default (not explicit ones).
    public var kneeFlexScale: Double

    public init(heightM: Double = 1.75, massKg: Double = 70, kneeFlexScale: Double = 1) {
        self.heightM = heightM
        self.massKg = massKg
        self.kneeFlexScale = kneeFlexScale
    }
}

/// Where the scenario happens, for the barometer.
public struct Environment: Sendable, Hashable {
    /// Altitude of the floor at the start.
    public var altitudeM: Double
    /// Slow weather change of the air pressure, in Pa per hour (positive: pressure rising).
    public var pressureDriftPaPerHour: Double

    public init(altitudeM: Double = 100, pressureDriftPaPerHour: Double = 0) {
        self.altitudeM = altitudeM
        self.pressureDriftPaPerHour = pressureDriftPaPerHour
    }
}
