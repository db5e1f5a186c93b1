/// The electrical side of a resistive flex sensor read by an ADC: the sensor is the lower leg of a voltage
/// divider from the supply, so the ADC input rises as the knee bends and the sensor's resistance grows.
///
/// Defaults follow a 4.5" Spectra Symbol flex sensor (datasheet: flat 25 kΩ ±30 %, bent 45–125 kΩ; we take
/// 62 kΩ at 90°) with a 47 kΩ fixed resistor on 3.3 V: about 1.14 V straight and 1.88 V at 90°, well inside
/// the ADS1115's ±4.096 V range. Resistance is modelled as linear in bend angle, so the divider's voltage is
/// not: a two-point calibration is exact at its two points and off by a few degrees between and beyond
/// them, as on the real part.
public struct FlexSensorCircuit: Sendable, Hashable {
    public var supplyVolts: Double
    public var fixedOhms: Double
    public var flatOhms: Double
    public var ohmsAt90: Double

    public init(supplyVolts: Double = 3.3, fixedOhms: Double = 47_000, flatOhms: Double = 25_000, ohmsAt90: Double = 62_000) {
        self.supplyVolts = supplyVolts
        self.fixedOhms = fixedOhms
        self.flatOhms = flatOhms
        self.ohmsAt90 = ohmsAt90
    }

    /// Sensor resistance at `bendDeg` (negative bends, hyperextension, lower it, never below 10 % of flat).
    public func resistance(bendDeg: Double) -> Double {
        max(flatOhms * 0.1, flatOhms + (ohmsAt90 - flatOhms) * bendDeg / 90)
    }

    /// The voltage at the ADC input for a sensor bent by `bendDeg`.
    public func volts(bendDeg: Double) -> Double {
        let r = resistance(bendDeg: bendDeg)
        return supplyVolts * r / (r + fixedOhms)
    }
}
