import SensorBus
import SimulatedBus
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A trivial chip for exercising the bus itself: an auto-incrementing register file whose register 0x10
/// reads the current virtual time in milliseconds (so frozen output is visible).
final class EchoChip: SimulatedDevice {
    var registers = RegisterFile(resetValues: [0x0F: 0xAB])
    var resets = 0
    var overflows = 0
    let model = "echo"

    func receive(_ bytes: [UInt8], at time: Duration) {
        guard let first = bytes.first else { return }
        registers.pointer = first
        for byte in bytes.dropFirst() {
            registers[registers.pointer] = byte
            registers.pointer &+= 1
        }
        registers[0x10] = UInt8(truncatingIfNeeded: time.totalNanoseconds / 1_000_000)
    }

    func transmit(count: Int, at time: Duration) -> [UInt8] {
        (0..<count).map { _ in
            defer { registers.pointer &+= 1 }
            return registers[registers.pointer]
        }
    }

    func powerOnReset(at time: Duration) {
        registers.reset()
        resets += 1
    }

    func forceFIFOOverflow(at time: Duration) { overflows += 1 }
}

@Suite struct SimulatedI2CBusTests {
    func makeBus(faults: DeviceFaults = .none) -> (SimulatedI2CBus, VirtualClock) {
        let clock = VirtualClock()
        let bus = SimulatedI2CBus(clock: clock, seed: 42)
        bus.attach(EchoChip(), at: 0x68, faults: faults)
        return (bus, clock)
    }

    @Test func readsAndWritesThroughTheRegisterPointer() throws {
        let (bus, _) = makeBus()
        #expect(try bus.readByte(address: 0x68, register: 0x0F) == 0xAB)
        try bus.write(address: 0x68, register: 0x20, bytes: [1, 2, 3])
        #expect(try bus.read(address: 0x68, register: 0x20, count: 3) == [1, 2, 3])
        #expect(try bus.readWordBigEndian(address: 0x68, register: 0x20) == 0x0102)
        #expect(try bus.readWordLittleEndian(address: 0x68, register: 0x20) == 0x0201)
    }

    @Test func absentAddressIsNotAcknowledged() {
        let (bus, _) = makeBus()
        #expect {
            try bus.readByte(address: 0x69, register: 0x75)
        } throws: { error in
            let e = error as! I2CError
            return e.kind == .noAcknowledge && e.errno == ENXIO && e.address == 0x69 && e.register == 0x75
                && e.bus == "simulated-i2c"
        }
        let (absentBus, _) = makeBus(faults: DeviceFaults(absent: true))
        #expect(throws: I2CError.self) { try absentBus.readByte(address: 0x68, register: 0x0F) }
    }

    @Test func failureRateFailsAboutThatShareWithEIO() {
        let (bus, _) = makeBus(faults: DeviceFaults(transferFailureRate: 0.1))
        var failures = 0
        for _ in 0..<10_000 {
            do { _ = try bus.readByte(address: 0x68, register: 0x0F) } catch {
                #expect(error.errno == EIO)
                #expect(error.kind == .transferFailed)
                failures += 1
            }
        }
        #expect((800...1200).contains(failures))
        #expect(bus.statistics == (10_000, failures))
    }

    @Test func failuresRepeatForTheSameSeed() {
        func pattern() -> [Bool] {
            let (bus, _) = makeBus(faults: DeviceFaults(transferFailureRate: 0.3))
            return (0..<200).map { _ in (try? bus.readByte(address: 0x68, register: 0)) == nil }
        }
        #expect(pattern() == pattern())
    }

    @Test func frozenDeviceSeesFrozenTime() throws {
        let (bus, clock) = makeBus(faults: DeviceFaults(frozenFrom: .milliseconds(20)))
        clock.advance(to: .milliseconds(10))
        #expect(try bus.readByte(address: 0x68, register: 0x10) == 10)
        clock.advance(to: .milliseconds(50))
        #expect(try bus.readByte(address: 0x68, register: 0x10) == 20)
    }

    @Test func wrongIdentityOverridesTheIdentityRegisterOnly() throws {
        let (bus, _) = makeBus(faults: DeviceFaults(identityOverride: .init(register: 0x0F, value: 0x33)))
        #expect(try bus.readByte(address: 0x68, register: 0x0F) == 0x33)
        #expect(try bus.read(address: 0x68, register: 0x0E, count: 2) == [0x00, 0x33])
        try bus.writeByte(address: 0x68, register: 0x20, value: 9)
        #expect(try bus.readByte(address: 0x68, register: 0x20) == 9)
    }

    @Test func vanishingDeviceNacksThenReturnsReset() throws {
        let (bus, clock) = makeBus(faults: DeviceFaults(vanishings: [Duration.seconds(1)..<Duration.seconds(6)]))
        try bus.writeByte(address: 0x68, register: 0x0F, value: 0x01)
        clock.advance(to: .seconds(2))
        #expect(throws: I2CError.self) { try bus.readByte(address: 0x68, register: 0x0F) }
        clock.advance(to: .seconds(6))
        // Power came back: the reset value is there again, and the chip was reset once.
        #expect(try bus.readByte(address: 0x68, register: 0x0F) == 0xAB)
        #expect(try bus.readByte(address: 0x68, register: 0x0F) == 0xAB)
        #expect(bus.withDevice(at: 0x68) { ($0 as! EchoChip).resets } == 1)
    }

    @Test func fifoOverflowIsInjectedOncePerMoment() throws {
        let (bus, clock) = makeBus(faults: DeviceFaults(fifoOverflows: [.seconds(1), .seconds(2)]))
        _ = try bus.readByte(address: 0x68, register: 0)
        clock.advance(to: .milliseconds(1500))
        _ = try bus.readByte(address: 0x68, register: 0)
        _ = try bus.readByte(address: 0x68, register: 0)
        #expect(bus.withDevice(at: 0x68) { ($0 as! EchoChip).overflows } == 1)
        clock.advance(to: .seconds(3))
        _ = try bus.readByte(address: 0x68, register: 0)
        #expect(bus.withDevice(at: 0x68) { ($0 as! EchoChip).overflows } == 2)
    }

    @Test func clockOnlyMovesForward() {
        let clock = VirtualClock()
        clock.advance(by: .milliseconds(5))
        clock.advance(to: .milliseconds(2))
        #expect(clock.now == .milliseconds(5))
        #expect(Duration.milliseconds(1500).seconds == 1.5)
        #expect(Duration.microseconds(7).totalNanoseconds == 7000)
    }
}
