import Testing

@testable import KneeloadRecording

/// `CRC32C.update` takes the processor's instruction where there is one; the table-driven code must give the
/// same checksums (it is what runs on a processor without it).
@Suite struct CRC32CPathTests {
    @Test func tablesGiveTheCheckValue() {
        let crc = Array("123456789".utf8).withUnsafeBytes { ~CRC32C.portableUpdate(~0, $0) }
        #expect(crc == 0xE306_9283)
    }

    @Test func instructionAndTablesAgreeAtEveryLengthAndAlignment() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let bytes = (0..<300).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        bytes.withUnsafeBytes { raw in
            for start in 0..<9 {
                for length in 0...(raw.count - start) {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[start..<start + length])
                    #expect(CRC32C.update(0x1234_5678, slice) == CRC32C.portableUpdate(0x1234_5678, slice))
                }
            }
        }
    }
}
