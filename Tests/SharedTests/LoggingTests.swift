// The JSON log line: the seed's fields, escaping, and LOG_LEVEL filtering.

import Foundation
import Logging
@testable import Shared
import Testing

@Suite struct LoggingTests {
    func logger(level: Logger.Level, sink: LogSink) -> Logger {
        Logger(label: "t") { _ in JSONLogHandler(service: "order", level: level, sink: sink) }
    }

    @Test func lineIsOneJSONObjectWithTheSeedFields() throws {
        let sink = LogSink.capturing()
        var log = logger(level: .info, sink: sink)
        log[metadataKey: "traceId"] = "abc123"
        log[metadataKey: "spanId"] = "789def"
        log.info("Order \"A\"\ncreated", metadata: ["orderId": "o-1", "nights": .stringConvertible(3), "paid": .stringConvertible(true)])
        let lines = sink.captured
        #expect(lines.count == 1)
        #expect(lines[0].hasSuffix("}\n") && lines[0].filter { $0 == "\n" }.count == 1)
        let line = try json(line: lines[0])
        #expect(line["level"] as? String == "INFO")
        #expect(line["service"] as? String == "order")
        #expect(line["traceId"] as? String == "abc123")
        #expect(line["spanId"] as? String == "789def")
        #expect(line["message"] as? String == "Order \"A\"\ncreated")
        let context = try #require(line["context"] as? [String: Any])
        #expect(context["orderId"] as? String == "o-1")
        #expect(context["nights"] as? Int == 3)
        #expect(context["paid"] as? Bool == true)
        let timestamp = try #require(line["timestamp"] as? String)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
        #expect(abs(try #require(PlatformJSON.parseTimestamp(timestamp)).timeIntervalSinceNow) < 5)
    }

    @Test func levelFiltersLowerLines() {
        let sink = LogSink.capturing()
        let log = logger(level: .warning, sink: sink)
        log.info("hidden")
        log.debug("hidden")
        log.warning("shown")
        log.error("shown")
        #expect(sink.captured.count == 2)
    }
}

@Suite struct TimestampParsingTests {
    @Test(arguments: [
        ("2026-11-21T10:29:17.123Z", 1_795_256_957.123),
        ("2026-11-21T10:29:17Z", 1_795_256_957.0),
        ("2026-11-21T18:29:17.5+08:00", 1_795_256_957.5),
        ("2026-11-21 10:29:17.123456+00:00", 1_795_256_957.123456),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
        ("2026-11-21T05:29:17-0500", 1_795_256_957.0),
    ])
    func parsesPlatformAndOffsetForms(_ text: String, _ expected: Double) throws {
        let date = try #require(PlatformJSON.parseTimestamp(text))
        #expect(abs(date.timeIntervalSince1970 - expected) < 0.000_01)
    }

    @Test(arguments: [
        (0, 1, "0"), (7, 3, "007"), (-42, 1, "-42"), (1234, 2, "1234"), (Int.max, 1, "9223372036854775807"), (Int.min, 1, "-9223372036854775808"),
    ])
    func integersAreWrittenInFull(_ value: Int, _ width: Int, _ expected: String) {
        var out: [UInt8] = []
        JSONText.appendInteger(value, width: width, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    /// The date is computed, not asked of gmtime: they agree, leap years and before 1970 included.
    @Test func timestampsAgreeWithTheCLibrary() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            var seconds = time_t(Int.random(in: -5_000_000_000...10_000_000_000, using: &generator))
            var parts = tm()
            gmtime_r(&seconds, &parts)
            let civil = CalendarDate(dayNumber: Int(Int64(seconds).floorDivided(by: 86_400)))
            #expect(civil.year == Int(parts.tm_year) + 1900 && civil.month == Int(parts.tm_mon) + 1 && civil.day == Int(parts.tm_mday), "\(seconds)")
        }
        #expect(Timestamp.iso8601Milliseconds(Date(timeIntervalSince1970: 951_782_399.5)) == "2000-02-28T23:59:59.500Z")
        #expect(Timestamp.iso8601Milliseconds(Date(timeIntervalSince1970: 951_868_800.007)) == "2000-03-01T00:00:00.007Z")
        #expect(Timestamp.iso8601Milliseconds(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
    }

    @Test func everyMillisecondSurvivesTheWireExactly() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let millis = Int64.random(in: -100_000_000_000...4_000_000_000_000, using: &generator)
            let date = Timestamp.date(milliseconds: millis)
            let text = Timestamp.iso8601Milliseconds(date)
            #expect(PlatformJSON.parseTimestamp(text) == date, "\(millis) -> \(text)")
            let event = EventEnvelope(type: "t.t", occurredAt: Date(timeIntervalSince1970: Double(millis) / 1000 + 0.000_4), producer: "p", tenantId: nil, traceId: nil, data: .null)
            let decoded = try PlatformJSON.decoder.decode(EventEnvelope.self, from: PlatformJSON.encoder.encode(event))
            #expect(decoded == event && event.occurredAt == date, "\(millis)")
        }
    }

    @Test(arguments: ["", "2026-13-01T00:00:00Z", "2026-11-21T10:29:17", "2026-11-21T10:29:17.Z", "yesterday", "2026-11-21T10:29:17Zjunk"])
    func rejectsMalformed(_ text: String) {
        #expect(PlatformJSON.parseTimestamp(text) == nil)
    }
}

@Suite struct CalendarDateTests {
    @Test func parsesOnlyRealDays() {
        #expect(CalendarDate("2028-02-29")?.description == "2028-02-29")
        for bad in ["2027-02-29", "2026-13-01", "2026-1-01", "2026-01-01T00:00:00Z", "", "２０２６-01-01", "2026-01-0a", "0000-01-01", "2026-01-011", "2026/01/01", "-2026-01-1"] {
            #expect(CalendarDate(bad) == nil, "\(bad)")
        }
        #expect(CalendarDate("2026-12-01")! < CalendarDate("2026-12-02")!)
    }
}
