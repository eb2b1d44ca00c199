// What confirming, releasing or cancelling does to a hold in each status: move it, answer again what
// was answered (a replay), or refuse with a reason.

import FoundationEssentials
import Shared

enum HoldStep: String, Sendable {
    case confirm, release, cancel

    enum Decision: Equatable {
        case move(to: HoldStatus)
        case replay
        case refuse(code: String, detail: String)
    }

    func decide(_ hold: Hold, now: Date) -> Decision {
        switch (self, hold.status) {
        case (.confirm, .held) where hold.expiresAt > now: .move(to: .confirmed)
        case (.confirm, .held): .refuse(code: "hold_expired", detail: "The hold expired at \(hold.expiresAt); hold the rooms again.")
        case (.confirm, .confirmed), (.release, .released), (.release, .expired), (.cancel, .cancelled): .replay
        case (.release, .held): .move(to: .released)
        case (.release, .confirmed): .refuse(code: "hold_confirmed", detail: "The rooms are sold to this order; cancel the booking instead.")
        case (.cancel, .confirmed): .move(to: .cancelled)
        case (.cancel, .held): .refuse(code: "hold_not_confirmed", detail: "The rooms are only held; release them instead.")
        default: .refuse(code: "hold_\(hold.status.rawValue)", detail: "The hold is \(hold.status.rawValue); it cannot be \(pastTense).")
        }
    }

    var pastTense: String {
        switch self {
        case .confirm: "confirmed"
        case .release: "released"
        case .cancel: "cancelled"
        }
    }
}
