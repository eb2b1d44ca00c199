// Distances on the Earth's surface, for geo search and matching (metres; good to ~0.5 %).

import Glibc

public enum Geodesy {
    public static let earthRadius = 6_371_000.0

    /// Great-circle distance in metres (haversine).
    public static func distance(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let p1 = lat1 * .pi / 180, p2 = lat2 * .pi / 180
        let dp = (lat2 - lat1) * .pi / 180, dl = (lon2 - lon1) * .pi / 180
        let h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2)
        return 2 * earthRadius * asin(min(1, h.squareRoot()))
    }

    /// The point `metres` from (latitude, longitude) towards `bearing` degrees (good enough below a few km).
    public static func offset(_ latitude: Double, _ longitude: Double, metres: Double, bearing: Double) -> (Double, Double) {
        let radians = bearing * .pi / 180
        let dLat = metres * cos(radians) / earthRadius * 180 / .pi
        let dLon = metres * sin(radians) / (earthRadius * cos(latitude * .pi / 180)) * 180 / .pi
        return (latitude + dLat, longitude + dLon)
    }
}
