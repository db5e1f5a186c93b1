import KneeloadSystemd
import KneeloadTestSupport
import Logging
import Testing

/// Both line layouts, the sd-daemon(3) priority of every level, and metadata that always comes out in the same
/// order whatever the dictionaries did.
@Suite struct JournalLogHandlerTests {
    /// 2026-01-31T12:00:00.123Z.
    static let fixedTime: Duration = .seconds(1_769_860_800) + .milliseconds(123)

    static func logger(_ style: LogLineStyle, _ lines: CapturedLogLines, level: Logger.Level = .trace) -> Logger {
        Logger(label: "kneeloadd") { label in
            JournalLogHandler(label: label, style: style, writer: lines, logLevel: level, now: { fixedTime })
        }
    }

    @Test(arguments: [
        (Logger.Level.critical, 2), (.error, 3), (.warning, 4), (.notice, 5), (.info, 6), (.debug, 7), (.trace, 7),
    ])
    func journalLinesCarryTheSyslogPriority(level: Logger.Level, priority: Int) {
        let lines = CapturedLogLines()
        Self.logger(.journal, lines).log(level: level, "sensor lost")
        #expect(level.syslogPriority == priority)
        #expect(lines.lines == ["<\(priority)>kneeloadd: sensor lost"])
    }

    @Test func journalLinesHaveNoTimestampAndSortedMetadata() {
        let lines = CapturedLogLines()
        var logger = Self.logger(.journal, lines)
        logger[metadataKey: "sensor"] = "imu"
        logger.warning("read failed", metadata: ["retry": "3", "bus": "/dev/i2c-1", "address": "0x6a"])
        #expect(lines.lines == ["<4>kneeloadd: read failed address=0x6a bus=/dev/i2c-1 retry=3 sensor=imu"])
    }

    @Test func terminalLinesHaveATimestampAndLevelName() {
        let lines = CapturedLogLines()
        let logger = Self.logger(.terminal, lines)
        logger.info("ready", metadata: ["rate_hz": "100"])
        logger.critical("giving up")
        #expect(
            lines.lines == [
                "2026-01-31T12:00:00.123Z info kneeloadd: ready rate_hz=100",
                "2026-01-31T12:00:00.123Z critical kneeloadd: giving up",
            ]
        )
    }

    @Test func metadataPrecedenceIsProviderThenHandlerThenMessage() {
        let lines = CapturedLogLines()
        let provider = Logger.MetadataProvider { ["session": "p", "source": "provider", "task": "sampler"] }
        var logger = Logger(label: "kneeloadd") { label in
            JournalLogHandler(label: label, style: .journal, writer: lines, metadataProvider: provider)
        }
        logger[metadataKey: "source"] = "handler"
        logger[metadataKey: "session"] = "h"
        logger.info("x", metadata: ["session": "m"])
        #expect(lines.lines == ["<6>kneeloadd: x session=m source=handler task=sampler"])
    }

    struct BusFault: Error, CustomStringConvertible {
        var description: String { "no ACK from 0x6a" }
    }

    @Test func aLoggedErrorBecomesErrorMetadataUnlessTheMessageSetsIt() {
        let lines = CapturedLogLines()
        let handler = JournalLogHandler(label: "kneeloadd", style: .journal, writer: lines)
        let event = { (metadata: Logger.Metadata?) in
            LogEvent(
                level: .error, message: "read failed", error: BusFault(), metadata: metadata, source: nil,
                file: #fileID, function: #function, line: #line
            )
        }
        handler.log(event: event(nil))
        handler.log(event: event(["error": "explicit"]))
        #expect(
            lines.lines == [
                "<3>kneeloadd: read failed error=\"no ACK from 0x6a\"",
                "<3>kneeloadd: read failed error=explicit",
            ]
        )
    }

    @Test func everyMessageStaysOneLine() {
        let lines = CapturedLogLines()
        let logger = Self.logger(.journal, lines)
        logger.error(
            "first\nsecond\tthird\u{1B}",
            metadata: ["path": "/etc/kneeload/my config.yaml", "quote": "say \"hi\"", "empty": "", "multi": "a\nb"]
        )
        #expect(
            lines.lines == [
                #"<3>kneeloadd: first\nsecond\tthird\u{1b} empty="" multi="a\nb" path="/etc/kneeload/my config.yaml" quote="say \"hi\"""#
            ]
        )
    }

    @Test func arraysAndDictionariesAreWrittenInAStableOrder() {
        let lines = CapturedLogLines()
        let sensors: Logger.MetadataValue = ["knee": "ok", "imu": "lost", "ankle": ["retries": "3", "bus": "1"]]
        Self.logger(.journal, lines).info("state", metadata: ["active": ["overload", "stairs"], "sensors": sensors])
        #expect(
            lines.lines == [
                #"<6>kneeloadd: state active="[overload, stairs]" sensors="[ankle: [bus: 1, retries: 3], imu: lost, knee: ok]""#
            ]
        )
    }

    @Test func theHandlersLevelFiltersMessages() {
        let lines = CapturedLogLines()
        let logger = Self.logger(.journal, lines, level: .notice)
        logger.info("hidden")
        logger.debug("hidden")
        logger.notice("shown")
        #expect(lines.lines == ["<5>kneeloadd: shown"])
    }

    @Test(arguments: [
        (Duration.zero, "1970-01-01T00:00:00.000Z"),
        (.seconds(951_782_400) + .milliseconds(7), "2000-02-29T00:00:00.007Z"),
        (.seconds(1_769_860_799) + .nanoseconds(999_999_999), "2026-01-31T11:59:59.999Z"),
    ])
    func terminalTimestampsAreUTCWithMilliseconds(time: Duration, expected: String) {
        let lines = CapturedLogLines()
        let handler = JournalLogHandler(label: "l", style: .terminal, writer: lines, now: { time })
        handler.log(event: LogEvent(level: .info, message: "m", metadata: nil, source: nil, file: "", function: "", line: 0))
        #expect(lines.lines == ["\(expected) info l: m"])
    }
}
