import CCRC32C

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum iSCSI (RFC 3720 §B.4) and ext4 use:
/// better error detection than the zlib CRC-32 for short frames. By the processor's CRC-32C instruction
/// where it has one (x86-64 with SSE4.2, ARMv8 with the CRC extension: about three times faster, and
/// reading a recording checks every byte), otherwise table-driven "slicing by 8" (eight 256-entry tables,
/// eight bytes per step), well under a nanosecond a byte either way.
/// Check value (RFC 3720 §B.4 / the CRC catalogue): CRC-32C of "123456789" is 0xE3069283.
public struct CRC32C: Sendable {
    /// Decided once per process.
    static let hasInstruction = ccrc32c_hardware_available() != 0

    private static let polynomial: UInt32 = 0x82F6_3B78
    /// tables[k][b]: the CRC of byte b followed by k zero bytes.
    private static let tables: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
            table[byte] = crc
        }
        for k in 1..<8 {
            for byte in 0..<256 {
                let previous = table[(k - 1) * 256 + byte]
                table[k * 256 + byte] = (previous >> 8) ^ table[Int(previous & 0xFF)]
            }
        }
        return table
    }()

    /// The CRC of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        ~update(~0, bytes)
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// Continues a running (pre-inverted) CRC over `bytes`.
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard hasInstruction, let base = bytes.baseAddress else { return portableUpdate(crc, bytes) }
        return ccrc32c_update(crc, base, bytes.count)
    }

    /// `update` without the instruction.
    static func portableUpdate(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = crc
        var i = 0
        let count = bytes.count
        tables.withUnsafeBufferPointer { t in
            while i + 8 <= count {
                let low = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt32.self)) ^ crc
                let high = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self))
                crc = t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
                i += 8
            }
            while i < count {
                crc = (crc >> 8) ^ t[Int((crc ^ UInt32(bytes[i])) & 0xFF)]
                i += 1
            }
        }
        return crc
    }
}
