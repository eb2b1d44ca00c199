// The credentials each simulated supplier accepts, derived from SIM_SECRET so that dev and tests can
// register the suppliers in supplier-adapter without a copy of them anywhere.

struct SimulatorCredentials: Sendable {
    let secretBase: String

    /// Bed-bank API key.
    func key(_ supplier: String) -> String { "\(supplier)-key" }
    /// OpenTravel RequestorID.
    func user(_ supplier: String) -> String { "\(supplier)-user" }
    /// Bed-bank secret and OpenTravel MessagePassword.
    func secret(_ supplier: String) -> String { "\(secretBase)-\(supplier)" }
}
