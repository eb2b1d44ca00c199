// CSV as RFC 4180 writes it (comma, CRLF, fields with commas, quotes or line breaks quoted) and
// reads it back, for what operators download (statements, reports) and upload (supplier
// statements). A text cell that a spreadsheet would run as a formula gets a leading apostrophe.

import FoundationEssentials
import Hummingbird

public struct CSVTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        (self.header, self.rows) = (header, rows)
    }

    public var text: String {
        ([header] + rows).map { $0.map(Self.field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func field(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+@\t\r".contains(first) || (first == "-" && Amount(value) == nil) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacing("\"", with: "\"\"") + "\""
    }

    /// The download: `text/csv` with a file name.
    public func response(filename: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\""],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    public struct Malformed: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// Reads `text`: the first record is the header; blank lines are skipped; every row must have
    /// the header's number of fields.
    public init(parsing text: String) throws(Malformed) {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = [], field = "", quoted = false, afterQuote = false, line = 1, recordLine = 1, quoteLine = 1
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
            (fields, field, afterQuote) = ([], "", false)
        }
        var characters = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let c = pending ?? characters.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    let next = characters.next()
                    if next == "\"" { field.unicodeScalars.append("\"") } else { (quoted, afterQuote, pending) = (false, true, next) }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case ",": fields.append(field); (field, afterQuote) = ("", false)
            case "\r": continue
            case "\n": endRecord(); line += 1; recordLine = line
            case "\"":
                guard field.isEmpty, !afterQuote else { throw Malformed(line: line, reason: "a quote inside an unquoted field") }
                (quoted, quoteLine) = (true, line)
            default:
                guard !afterQuote else { throw Malformed(line: line, reason: "text after a closing quote") }
                field.unicodeScalars.append(c)
            }
        }
        if quoted { throw Malformed(line: quoteLine, reason: "a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty || afterQuote { endRecord() }
        guard let first = records.first else { throw Malformed(line: 1, reason: "no header row") }
        header = first.fields.map { String($0.trimmed.drop { $0 == "\u{FEFF}" }).lowercased() }
        rows = []
        for record in records.dropFirst() {
            guard record.fields.count == header.count else {
                throw Malformed(line: record.line, reason: "\(record.fields.count) fields where the header has \(header.count)")
            }
            rows.append(record.fields)
        }
        lines = records.dropFirst().map(\.line)
    }

    /// The line each row started on, when parsed (for error messages).
    public private(set) var lines: [Int] = []
}

extension Request {
    /// Whether `?format=csv` asks for CSV (`json`, the default, does not); 400 for another format.
    public func wantsCSV() throws -> Bool {
        switch uri.queryParameters["format"] {
        case nil, "json": false
        case "csv": true
        default: throw Problem(.badRequest, code: "invalid_query", detail: "format must be json or csv.")
        }
    }
}
