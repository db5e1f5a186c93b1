/// The i2c-stub chips that Tests/kernel/init creates and preloads (with /usr/sbin/i2cset) before this tool
/// runs, and the numbers the checks expect from them. The init script's preload block carries the same
/// values; change both together.
///
/// What i2c-stub is (Linux drivers/i2c/i2c-stub.c): 256 16-bit words per chip. Byte-data and I2C-block
/// transfers use each word's low byte, I2C-block transfers auto-increment, and nothing changes unless
/// written. `LinuxI2CBus` on an SMBus-only adapter uses only byte-data writes and I2C-block transfers, so
/// to the code under test each stub chip is 256 plain byte registers with auto-increment. (An `i2cset ... w`
/// word write would store its second byte where no byte or block read ever sees it, so init preloads with
/// byte and `i` block writes only.)
enum StubChips {
    static let mpu6050: UInt8 = 0x68
    static let lsm6ds: UInt8 = 0x6A
    static let ads1115: UInt8 = 0x48
    static let as5600: UInt8 = 0x36
    /// No stub chip here.
    static let absent: UInt8 = 0x50
    /// No adapter has this number in the guest (i2c-stub is the only one).
    static let missingBusPath = "/dev/i2c-9"

    // Transfer-splitting scratch space on the MPU stub, past the MPU-6050's last register (0x75).
    /// 40 registers from here hold `patternByte(offset)`, preloaded by init.
    static let patternStart: UInt8 = 0x80
    static func patternByte(_ offset: Int) -> UInt8 { UInt8(0xFF - offset) }
    /// This tool writes 40 bytes `writtenByte(offset)` from here; init reads them back with i2cget.
    static let writeStart: UInt8 = 0xC0
    static func writtenByte(_ offset: Int) -> UInt8 { UInt8(truncatingIfNeeded: 3 * offset + 1) }
    /// 16 registers before the end of the stub's map: a 32-byte block read from here comes back short.
    static let shortReadStart: UInt8 = 0xF0
}
