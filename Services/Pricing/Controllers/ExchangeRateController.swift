// Exchange rates against the base currency (DEFAULT_CURRENCY).
//   GET /exchange-rates                                    (internal) {"base", "rates": {"EUR": "7.8123"}}
//   GET /api/v1/admin/pricing/exchange-rates               operators: every rate, when and by whom set
//   GET|PUT|DELETE /api/v1/admin/pricing/exchange-rates/{currency}   one rate (GET adds its changes)
// A rate is the units of the base one unit of the currency buys, a decimal string: {"rate": "7.8123"}.

import FoundationEssentials
import HTTPTypes
import Hummingbird
import Shared

struct ExchangeRateController: Sendable {
    let repository: ExchangeRateRepository

    struct RateList: ResponseEncodable {
        let base: String
        let rates: [ExchangeRate]
    }

    struct RateDetail: ResponseEncodable {
        let base: String
        let currency: String
        let rate: Amount
        let updatedAt: Date
        let updatedBy: String
        let changes: [ExchangeRateChange]

        enum CodingKeys: String, CodingKey { case base, currency, rate, updatedAt = "updated_at", updatedBy = "updated_by", changes }
    }

    struct RateInput: Decodable {
        var rate: Amount?
    }

    func add(to router: Router<PlatformRequestContext>) {
        router.get("exchange-rates") { _, _ in
            let rates = try await repository.all()
            return ExchangeRates(base: repository.base, rates: Dictionary(uniqueKeysWithValues: rates.map { ($0.currency, $0.rate) }))
        }
        let admin = router.group("api/v1/admin/pricing/exchange-rates")
        admin.get { _, context in
            _ = try context.requireOperator()
            return RateList(base: repository.base, rates: try await repository.all())
        }
        admin.get(":currency") { _, context in
            _ = try context.requireOperator()
            let currency = try currency(context)
            guard let rate = try await repository.find(currency) else { throw noRate(currency) }
            return RateDetail(base: repository.base, currency: currency, rate: rate.rate, updatedAt: rate.updatedAt, updatedBy: rate.updatedBy,
                              changes: try await repository.changes(currency))
        }
        admin.put(":currency") { request, context in
            let who = try context.requireOperator()
            let currency = try currency(context)
            guard let rate = try await request.decode(as: RateInput.self, context: context).rate else {
                throw Problem(.badRequest, code: "invalid_rate", detail: "rate is required: the units of \(repository.base) one \(currency) buys, as a string like \"7.8123\".")
            }
            if let problem = ExchangeRateRules.problem(rate: rate, currency: currency, base: repository.base) { throw problem }
            return try await repository.set(currency, to: rate, by: who.tenantId)
        }
        admin.delete(":currency") { _, context -> HTTPResponse.Status in
            let who = try context.requireOperator()
            let currency = try currency(context)
            guard try await repository.remove(currency, by: who.tenantId) else { throw noRate(currency) }
            return .noContent
        }
    }

    func currency(_ context: PlatformRequestContext) throws -> String {
        let currency = try context.parameters.require("currency")
        guard Currency.isCode(currency) else {
            throw Problem(.badRequest, code: "invalid_currency", detail: "'\(currency)' is not an ISO 4217 currency code; use three capital letters like EUR.")
        }
        return currency
    }

    func noRate(_ currency: String) -> Problem {
        Problem(.notFound, code: "unknown_exchange_rate", detail: "No exchange rate for \(currency) against \(repository.base) is set; PUT one.")
    }
}

extension ExchangeRate: ResponseEncodable {}
extension ExchangeRates: ResponseEncodable {}
