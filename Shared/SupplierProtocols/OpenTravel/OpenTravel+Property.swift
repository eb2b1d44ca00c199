// A hotel of the content feed as an OTA_HotelSearchRS Property (code, name, chain, position,
// address, rating), both ways.

import Shared

extension OpenTravel {
    public static func property(_ hotel: SupplierHotel) -> XMLElement {
        var attributes = [("HotelCode", hotel.code), ("HotelName", hotel.name)]
        if let chain = hotel.chain { attributes.append(("ChainName", chain)) }
        var children = [
            XMLElement("Position", [("Latitude", String(hotel.latitude)), ("Longitude", String(hotel.longitude))]),
            XMLElement("Address", children: [
                XMLElement("AddressLine", text: hotel.address), XMLElement("CityName", text: hotel.city),
                XMLElement("CountryName", [("Code", hotel.countryCode)]),
            ]),
        ]
        if let stars = hotel.stars { children.append(XMLElement("Award", [("Provider", "Local Star Rating"), ("Rating", String(stars))])) }
        return XMLElement("Property", attributes, children: children)
    }

    public static func hotel(_ property: XMLElement, supplier: String) throws(Failure) -> SupplierHotel {
        let place = "Property"
        let position = property.child("Position")
        let latitudeText = try required(position, "Latitude", in: "\(place)/Position")
        let longitudeText = try required(position, "Longitude", in: "\(place)/Position")
        guard let latitude = Double(latitudeText), let longitude = Double(longitudeText), (-90...90).contains(latitude), (-180...180).contains(longitude) else {
            throw Failure(.invalidValue, "\(place)/Position must hold a latitude and longitude, got '\(latitudeText)', '\(longitudeText)'")
        }
        let address = property.child("Address")
        return SupplierHotel(
            supplier: supplier, code: try required(property, "HotelCode", in: place), name: try required(property, "HotelName", in: place),
            address: address?.child("AddressLine")?.text ?? "", city: address?.child("CityName")?.text ?? "",
            countryCode: try required(address?.child("CountryName"), "Code", in: "\(place)/Address/CountryName"),
            latitude: latitude, longitude: longitude, stars: property.child("Award")?["Rating"].flatMap { Int($0) }, chain: property["ChainName"])
    }
}
