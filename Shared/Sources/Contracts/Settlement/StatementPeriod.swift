// The period a supplier statement covers: stays checking out from `from` to `to`, both included.

import Hummingbird

public struct StatementPeriod: Codable, Sendable, Equatable {
    public var from: CalendarDate
    public var to: CalendarDate
    public static let maximumDays = 366

    public init(from: CalendarDate, to: CalendarDate) {
        (self.from, self.to) = (from, to)
    }

    public func contains(_ day: CalendarDate) -> Bool { from <= day && day <= to }

    /// Refuses a period that ends before it starts or spans more than a year.
    public func validated() throws -> StatementPeriod {
        guard from <= to else { throw Problem(.badRequest, code: "invalid_period", detail: "from (\(from)) must not be after to (\(to)).") }
        guard from.nights(until: to) < Self.maximumDays else {
            throw Problem(.badRequest, code: "invalid_period", detail: "A statement covers at most \(Self.maximumDays) days; split it.")
        }
        return self
    }
}

extension Request {
    /// `from` and `to` (YYYY-MM-DD) from the query; `fallback` when both are absent.
    public func statementPeriod(default fallback: StatementPeriod? = nil) throws -> StatementPeriod {
        let from = uri.queryParameters["from"], to = uri.queryParameters["to"]
        if from == nil, to == nil, let fallback { return fallback }
        guard let from, let start = CalendarDate(from), let to, let end = CalendarDate(to) else {
            throw Problem(.badRequest, code: "invalid_period", detail: "Give from and to as dates (YYYY-MM-DD), the check-out dates the statement covers.")
        }
        return try StatementPeriod(from: start, to: end).validated()
    }
}

extension SupplierStatementRow: ResponseEncodable {}
extension StatementDiscrepancy: ResponseEncodable {}
