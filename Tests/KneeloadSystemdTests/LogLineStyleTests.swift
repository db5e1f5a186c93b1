import KneeloadSystemd
import Logging
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Style detection on real descriptors: a pipe, a pseudo-terminal, and a file named by JOURNAL_STREAM.
@Suite struct LogLineStyleTests {
    /// Both ends of a pipe, closed at deinit.
    final class Pipe {
        let read: Int32
        let write: Int32

        init() throws {
            var ends: [Int32] = [-1, -1]
            try #require(pipe(&ends) == 0)
            read = ends[0]
            write = ends[1]
        }

        /// Closes the write end and returns everything written.
        func drain() -> String {
            close(write)
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(read, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                bytes += buffer[..<count]
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        deinit {
            close(read)
            close(write)
        }
    }

    static func journalStreamValue(of descriptor: Int32) -> String {
        var status = stat()
        _ = fstat(descriptor, &status)
        return "\(status.st_dev):\(status.st_ino)"
    }

    @Test func aPipeGetsTheJournalStyle() throws {
        let pipe = try Pipe()
        #expect(LogLineStyle.detect(environment: [:], descriptor: pipe.write) == .journal)
    }

    @Test func aTerminalGetsTheTerminalStyleEvenWithAnInheritedJournalStream() throws {
        let terminal = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        try #require(terminal >= 0, "no pseudo-terminals here")
        defer { close(terminal) }
        let pipe = try Pipe()
        #expect(LogLineStyle.detect(environment: [:], descriptor: terminal) == .terminal)
        let inherited = ["JOURNAL_STREAM": Self.journalStreamValue(of: pipe.write)]
        #expect(LogLineStyle.detect(environment: inherited, descriptor: terminal) == .terminal)
    }

    @Test func journalStreamMatchesOnlyItsOwnDeviceAndInode() throws {
        let pipe = try Pipe()
        let other = try Pipe()
        let own = Self.journalStreamValue(of: pipe.write)
        #expect(LogLineStyle.isJournalStream(descriptor: pipe.write, environment: ["JOURNAL_STREAM": own]))
        #expect(!LogLineStyle.isJournalStream(descriptor: other.write, environment: ["JOURNAL_STREAM": own]))
        #expect(!LogLineStyle.isJournalStream(descriptor: pipe.write, environment: [:]))
        for malformed in ["", ":", "12", "12:", "a:b", "1:2:3", own + "x"] {
            #expect(!LogLineStyle.isJournalStream(descriptor: pipe.write, environment: ["JOURNAL_STREAM": malformed]))
        }
    }

    @Test func theStandardErrorFactoryWritesWholeJournalLinesToItsDescriptor() throws {
        let pipe = try Pipe()
        let factory = JournalLogHandler.standardErrorFactory(environment: [:], logLevel: .debug, descriptor: pipe.write)
        let sampler = Logger(label: "kneeloadd.sampler", factory: factory)
        let alerts = Logger(label: "kneeloadd.alerts", factory: factory)
        sampler.debug("tick", metadata: ["n": "1"])
        sampler.trace("below the level")
        alerts.warning("overload")
        #expect(pipe.drain() == "<7>kneeloadd.sampler: tick n=1\n<4>kneeloadd.alerts: overload\n")
    }
}
