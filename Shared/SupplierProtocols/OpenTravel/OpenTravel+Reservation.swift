// A booking as an OTA HotelReservation: our reference (UniqueID Type 14), the supplier's
// (HotelReservationID Type 10), the stay, the guest and the total; both ways.

import FoundationEssentials
import Shared

extension OpenTravel {
    /// UniqueID types: 14 = the booker's (our client reference), 10 = the hotel's / supplier's reservation id.
    public static let clientReferenceType = "14"
    public static let supplierReferenceType = "10"

    public static func reservation(_ booking: SupplierBooking) -> XMLElement {
        return XMLElement("HotelReservation", [("ResStatus", booking.status == .confirmed ? "Book" : "Cancel")], children: [
            XMLElement("UniqueID", [("Type", clientReferenceType), ("ID", booking.clientReference)]),
            XMLElement("RoomStays", children: [XMLElement("RoomStay", children: [
                XMLElement("RoomRates", children: [XMLElement("RoomRate", [("RoomTypeCode", booking.roomCode)], children: [
                    XMLElement("MealsIncluded", [("MealPlanCodes", mealPlans[booking.board] ?? "14")])
                ])]),
                XMLElement("TimeSpan", [("Start", booking.checkIn.description), ("End", booking.checkOut.description)]),
                penalties(booking.cancellationPolicies, refundable: true, currency: booking.currency),
                XMLElement("BasicPropertyInfo", [("HotelCode", booking.hotelCode)]),
            ])]),
            XMLElement("ResGuests", children: [XMLElement("ResGuest", children: [XMLElement("Profiles", children: [XMLElement("ProfileInfo", children: [
                XMLElement("Profile", children: [XMLElement("Customer", children: [XMLElement("PersonName", children: [
                    XMLElement("GivenName", text: booking.holder.givenName), XMLElement("Surname", text: booking.holder.surname),
                ])])])
            ])])])]),
            XMLElement("ResGlobalInfo", children: [
                XMLElement("Total", [("AmountAfterTax", booking.net.description), ("CurrencyCode", booking.currency)]),
                XMLElement("HotelReservationIDs", children: [XMLElement("HotelReservationID", [("ResID_Type", supplierReferenceType), ("ResID_Value", booking.reference)])]),
            ]),
        ])
    }

    public static func booking(_ reservation: XMLElement, supplier: String) throws(Failure) -> SupplierBooking {
        let place = "HotelReservation"
        let stay = reservation.path("RoomStays", "RoomStay")
        let rate = stay?.path("RoomRates", "RoomRate")
        let mealPlan = try required(rate?.child("MealsIncluded"), "MealPlanCodes", in: "\(place)/RoomRate/MealsIncluded")
        guard let board = board(mealPlan: mealPlan) else { throw Failure(.invalidValue, "unknown meal plan code \(mealPlan)") }
        guard let status = reservation["ResStatus"], status == "Book" || status == "Cancel" else {
            throw Failure(.invalidValue, "\(place)/@ResStatus must be Book or Cancel")
        }
        let name = reservation.path("ResGuests", "ResGuest", "Profiles", "ProfileInfo", "Profile", "Customer", "PersonName")
        let total = reservation.path("ResGlobalInfo", "Total")
        let clientReference = reservation.all("UniqueID").first { $0["Type"] == clientReferenceType }
        let supplierReference = reservation.path("ResGlobalInfo", "HotelReservationIDs")?.all("HotelReservationID").first { $0["ResID_Type"] == supplierReferenceType }
        return SupplierBooking(
            supplier: supplier, reference: try required(supplierReference, "ResID_Value", in: "\(place)/HotelReservationID"),
            clientReference: try required(clientReference, "ID", in: "\(place)/UniqueID"), status: status == "Book" ? .confirmed : .cancelled,
            hotelCode: try required(stay?.child("BasicPropertyInfo"), "HotelCode", in: "\(place)/BasicPropertyInfo"),
            roomCode: try required(rate, "RoomTypeCode", in: "\(place)/RoomRate"), board: board,
            checkIn: try date(stay?.child("TimeSpan"), "Start", in: "\(place)/TimeSpan"), checkOut: try date(stay?.child("TimeSpan"), "End", in: "\(place)/TimeSpan"),
            holder: Guest(givenName: name?.child("GivenName")?.text ?? "", surname: name?.child("Surname")?.text ?? ""),
            net: try amount(total, "AmountAfterTax", in: "\(place)/Total"), currency: try required(total, "CurrencyCode", in: "\(place)/Total"),
            cancellationPolicies: try policies(stay?.child("CancelPenalties"), in: place))
    }
}
