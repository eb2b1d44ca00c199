// A batch's prices, hotel by hotel: what a supplier's offers at one hotel share is matched against
// the rules once for the hotel (the rules that may fit them, best first), so each offer costs only
// its own terms (the first of those its board, refundability and net fit) and its arithmetic.

import Shared

extension RuleBook {
    /// Every offer's price, in the batch's order, without ids; an offer that cannot be priced says why.
    /// `today` is the booking date when the batch names none.
    func prices(of batch: PriceBatchRequest.ByHotel, terms: PriceTerms, today: CalendarDate) -> [PricedOffer] {
        let tenantGroups = groups[batch.tenantId] ?? []
        let day = batch.bookingDate ?? today
        var priced: [PricedOffer] = []
        priced.reserveCapacity(batch.count)
        for hotel in batch.hotels {
            let candidates = candidates(for: hotelSubject(hotel, tenant: batch.tenantId, groups: tenantGroups, day: day))
            for offer in hotel.offers {
                let net = Money(offer.net, hotel.netCurrency)
                let netInBase = netInBase(net)
                let rule = candidates.first { $0.fits(board: offer.board, refundable: offer.refundable, netInBase: netInBase) }
                do {
                    let price = try PriceCalculation.price(net: net, minimumSell: offer.minimumSell, rule: rule, terms: terms)
                    priced.append(
                        PricedOffer(id: "", sell: price.sell, net: price.netConverted, ruleId: rule?.rule.id, guardApplied: price.guardApplied, unpriced: nil))
                } catch {
                    priced.append(PricedOffer(id: "", sell: nil, net: nil, ruleId: nil, guardApplied: nil, unpriced: "\(error)"))
                }
            }
        }
        return priced
    }
}
