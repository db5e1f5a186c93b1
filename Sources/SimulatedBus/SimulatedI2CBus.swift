import KneeloadCore
import SensorBus
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An `I2CBus` whose devices are register-level chip models running on a `VirtualClock`.
///
/// Errors carry the errno numbers Linux's i2c-dev gives for the same event (Documentation/i2c/fault-codes):
/// ENXIO when the address is not acknowledged, EIO for a failed transfer. Faults are injected per address
/// with `DeviceFaults`, from a seeded generator, so a failing run repeats exactly.
///
/// Chip models are plain, non-`Sendable` classes; the bus owns them and touches them only while holding
/// `lock`, which is what makes the bus safe to share (hence `@unchecked Sendable`).
public final class SimulatedI2CBus: I2CBus, @unchecked Sendable {
    public let name: String
    public let clock: VirtualClock

    private struct Slot {
        var device: any SimulatedDevice
        var faults: DeviceFaults
        /// Vanishing windows already followed by a power-on reset.
        var resetsDone: Int
        /// FIFO overflow moments already injected.
        var overflowsDone: Int
    }

    private struct State {
        var slots: [UInt8: Slot] = [:]
        var random: SeededGenerator
        var transactions = 0
        var failures = 0
    }

    private let lock = Mutex(())
    private var unsafeState: State

    public init(name: String = "simulated-i2c", clock: VirtualClock, seed: UInt64 = 1) {
        self.name = name
        self.clock = clock
        unsafeState = State(random: SeededGenerator(seed: seed))
    }

    private func withState<R>(_ body: (inout State) -> R) -> R {
        lock.withLock { _ in body(&unsafeState) }
    }

    /// Connects `device` at the 7-bit `address`, replacing whatever was there.
    public func attach(_ device: any SimulatedDevice, at address: UInt8, faults: DeviceFaults = .none) {
        precondition(address < 0x80, "I2C addresses are 7-bit")
        let slot = Slot(device: device, faults: faults, resetsDone: 0, overflowsDone: 0)
        withState { $0.slots[address] = slot }
    }

    public func detach(address: UInt8) {
        withState { _ = $0.slots.removeValue(forKey: address) }
    }

    public func setFaults(_ faults: DeviceFaults, at address: UInt8) {
        withState { state in
            state.slots[address]?.faults = faults
            state.slots[address]?.resetsDone = 0
            state.slots[address]?.overflowsDone = 0
        }
    }

    /// Runs `body` on the device at `address` under the bus lock (for tests that look at registers).
    public func withDevice<Result>(at address: UInt8, _ body: (any SimulatedDevice) -> Result) -> Result? {
        withState { state in state.slots[address].map { body($0.device) } }
    }

    /// Transactions attempted and transactions failed so far.
    public var statistics: (transactions: Int, failures: Int) {
        withState { ($0.transactions, $0.failures) }
    }

    public func read(address: UInt8, register: UInt8, count: Int, addressing: RegisterAddressing) throws(I2CError)
        -> [UInt8]
    {
        let now = clock.now
        let result: Result<[UInt8], I2CError> = withState { state in
            switch prepare(&state, address: address, register: register, count: count, operation: .read, now: now) {
            case .failure(let error): return .failure(error)
            case .success(let time):
                let slot = state.slots[address]!
                slot.device.receive([register], at: time)
                var bytes = slot.device.transmit(count: count, at: time)
                if let override = slot.faults.identityOverride, addressing == .incrementing {
                    let offset = Int(override.register) - Int(register)
                    if offset >= 0, offset < count { bytes[offset] = override.value }
                }
                return .success(bytes)
            }
        }
        return try result.get()
    }

    public func write(address: UInt8, register: UInt8, bytes: [UInt8]) throws(I2CError) {
        let now = clock.now
        let failure: I2CError? = withState { state in
            switch prepare(
                &state, address: address, register: register, count: bytes.count, operation: .write, now: now)
            {
            case .failure(let error): return error
            case .success(let time):
                state.slots[address]!.device.receive([register] + bytes, at: time)
                return nil
            }
        }
        if let failure { throw failure }
    }

    /// Applies the address's faults to one transaction: the error it fails with, or the time the device sees.
    private func prepare(
        _ state: inout State, address: UInt8, register: UInt8, count: Int, operation: I2CError.Operation,
        now: Duration
    ) -> Result<Duration, I2CError> {
        state.transactions += 1
        func fail(_ errno: Int32) -> Result<Duration, I2CError> {
            state.failures += 1
            return .failure(
                I2CError(
                    bus: name, operation: operation, address: address, register: register, byteCount: count,
                    errno: errno))
        }
        guard var slot = state.slots[address], !slot.faults.absent else { return fail(ENXIO) }
        let faults = slot.faults
        if faults.isVanished(at: now) { return fail(ENXIO) }
        // Power returns after each vanishing window that has ended: the chip resets once per window.
        let ended = faults.vanishings.filter { $0.upperBound <= now }.count
        if ended > slot.resetsDone {
            if !faults.keepsStateWhenReturning { slot.device.powerOnReset(at: now) }
            slot.resetsDone = ended
        }
        let due = faults.fifoOverflows.filter { $0 <= now }.count
        if due > slot.overflowsDone {
            slot.device.forceFIFOOverflow(at: now)
            slot.overflowsDone = due
        }
        state.slots[address] = slot
        if faults.transferFailureRate > 0, state.random.nextUnit() < faults.transferFailureRate {
            return fail(EIO)
        }
        if let frozen = faults.frozenFrom, frozen < now { return .success(frozen) }
        return .success(now)
    }
}
