// One offer as an OTA RoomStay (room type, rate plan with meals and cancel penalties, room rate
// with its booking code), both ways.

import FoundationEssentials
import Shared

extension OpenTravel {
    public static func ratePlanCode(board: Board, refundable: Bool) -> String { "\(board.rawValue)-\(refundable ? "FLEX" : "NRF")" }

    static func penalties(_ policies: [CancellationPolicy], refundable: Bool, currency: String) -> XMLElement {
        XMLElement("CancelPenalties", children: policies.map {
            XMLElement("CancelPenalty", refundable ? [] : [("NonRefundable", "true")], children: [
                XMLElement("Deadline", [("AbsoluteDeadline", timestamp($0.from))]),
                XMLElement("AmountPercent", [("Amount", $0.amount.description), ("CurrencyCode", currency)]),
            ])
        })
    }

    static func policies(_ element: XMLElement?, in place: @autoclosure () -> String) throws(Failure) -> [CancellationPolicy] {
        var policies: [CancellationPolicy] = []
        for penalty in element?.all("CancelPenalty") ?? [] {
            policies.append(CancellationPolicy(
                from: try timestamp(penalty.child("Deadline"), "AbsoluteDeadline", in: "\(place())/CancelPenalty/Deadline"),
                amount: try amount(penalty.child("AmountPercent"), "Amount", in: "\(place())/CancelPenalty/AmountPercent")))
        }
        return policies
    }

    public static func roomStay(_ offer: SupplierOffer, hotelName: String) -> XMLElement {
        let planCode = ratePlanCode(board: offer.board, refundable: offer.refundable)
        var extensions: [(String, String)] = [("RateType", offer.rateType.rawValue)]
        if let selling = offer.sellingRate { extensions += [("SellingRate", selling.description), ("SellingRateMandatory", "true")] }
        return XMLElement("RoomStay", children: [
            XMLElement("RoomTypes", children: [XMLElement("RoomType", [("RoomTypeCode", offer.roomCode)], children: [XMLElement("RoomDescription", [("Name", offer.roomName)])])]),
            XMLElement("RatePlans", children: [XMLElement("RatePlan", [("RatePlanCode", planCode)], children: [
                XMLElement("MealsIncluded", [("MealPlanCodes", mealPlans[offer.board] ?? "14")]),
                penalties(offer.cancellationPolicies, refundable: offer.refundable, currency: offer.currency),
            ])]),
            XMLElement("RoomRates", children: [XMLElement("RoomRate", [
                ("RoomTypeCode", offer.roomCode), ("RatePlanCode", planCode), ("BookingCode", offer.rateKey), ("NumberOfUnits", String(offer.allotment ?? 1)),
            ], children: [
                XMLElement("Total", [("AmountAfterTax", offer.net.description), ("CurrencyCode", offer.currency)]),
                XMLElement("TPA_Extensions", extensions),
            ])]),
            XMLElement("BasicPropertyInfo", [("HotelCode", offer.hotelCode), ("HotelName", hotelName)]),
        ])
    }

    public static func offer(_ stay: XMLElement, supplier: String) throws(Failure) -> SupplierOffer {
        let place = "RoomStay"
        let rate = stay.path("RoomRates", "RoomRate")
        let plan = stay.path("RatePlans", "RatePlan")
        let mealPlan = try required(plan?.child("MealsIncluded"), "MealPlanCodes", in: "\(place)/RatePlan/MealsIncluded")
        guard let board = board(mealPlan: mealPlan) else { throw Failure(.invalidValue, "unknown meal plan code \(mealPlan)") }
        let penalties = plan?.child("CancelPenalties")
        let extensions = rate?.child("TPA_Extensions")
        let rateTypeText = extensions?["RateType"] ?? "BOOKABLE"
        guard let rateType = RateType(rawValue: rateTypeText) else { throw Failure(.invalidValue, "unknown rate type \(rateTypeText)") }
        let total = rate?.child("Total")
        return SupplierOffer(
            supplier: supplier, hotelCode: try required(stay.child("BasicPropertyInfo"), "HotelCode", in: "\(place)/BasicPropertyInfo"),
            roomCode: try required(rate, "RoomTypeCode", in: "\(place)/RoomRate"),
            roomName: stay.path("RoomTypes", "RoomType", "RoomDescription")?["Name"] ?? "",
            board: board, refundable: penalties?.child("CancelPenalty")?["NonRefundable"] != "true",
            cancellationPolicies: try policies(penalties, in: "\(place)/RatePlan"),
            net: try amount(total, "AmountAfterTax", in: "\(place)/RoomRate/Total"),
            sellingRate: extensions?["SellingRateMandatory"] == "true" ? try amount(extensions, "SellingRate", in: "\(place)/RoomRate/TPA_Extensions") : nil,
            currency: try required(total, "CurrencyCode", in: "\(place)/RoomRate/Total"),
            rateKey: try required(rate, "BookingCode", in: "\(place)/RoomRate"), rateType: rateType,
            allotment: rate?["NumberOfUnits"].flatMap { Int($0) })
    }
}
