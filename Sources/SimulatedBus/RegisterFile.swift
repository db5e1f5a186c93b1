/// A chip's 8-bit register space with its reset values and a register pointer: the part every modelled
/// chip shares. Chips layer their own behaviour on top (read-only registers, data ports, side effects).
public struct RegisterFile: Sendable {
    public private(set) var values: [UInt8]
    private let resetValues: [UInt8]
    /// The register the next read or write starts at.
    public var pointer: UInt8 = 0

    /// `resetValues` lists the registers whose reset value is not zero.
    public init(resetValues: [UInt8: UInt8] = [:]) {
        var values = [UInt8](repeating: 0, count: 256)
        for (register, value) in resetValues { values[Int(register)] = value }
        self.values = values
        self.resetValues = values
    }

    public subscript(register: UInt8) -> UInt8 {
        get { values[Int(register)] }
        set { values[Int(register)] = newValue }
    }

    /// Every register back to its reset value, pointer at zero.
    public mutating func reset() {
        values = resetValues
        pointer = 0
    }

    /// Big-endian 16-bit value stored at `register` (high byte) and `register + 1`.
    public mutating func setBigEndian(_ value: Int16, at register: UInt8) {
        let bits = UInt16(bitPattern: value)
        self[register] = UInt8(bits >> 8)
        self[register &+ 1] = UInt8(bits & 0xFF)
    }

    /// Little-endian 16-bit value stored at `register` (low byte) and `register + 1`.
    public mutating func setLittleEndian(_ value: Int16, at register: UInt8) {
        let bits = UInt16(bitPattern: value)
        self[register] = UInt8(bits & 0xFF)
        self[register &+ 1] = UInt8(bits >> 8)
    }
}

extension Int16 {
    /// The nearest representable value to `value`, saturating at the type's limits as a chip's ADC does.
    public init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= Double(Int16.max) {
            self = .max
        } else if value <= Double(Int16.min) {
            self = .min
        } else {
            self = Int16(value.rounded())
        }
    }
}
