// Typed reads of environment variables, each failing with a ConfigurationError that names the variable.

import FoundationEssentials
import Glibc

public struct EnvironmentVariables: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    /// The value, or nil when unset or blank.
    public func optional(_ name: String) -> String? {
        guard let value = values[name]?.trimmed, !value.isEmpty else { return nil }
        return value
    }

    public func required(_ name: String, hint: String) throws -> String {
        guard let value = optional(name) else {
            throw ConfigurationError(variable: name, problem: "is required: set it to \(hint)")
        }
        return value
    }

    public func string(_ name: String, default fallback: String) -> String {
        optional(name) ?? fallback
    }

    public func int(_ name: String, default fallback: Int, range: ClosedRange<Int> = 0...Int.max) throws -> Int {
        guard let raw = optional(name) else { return fallback }
        guard let value = Int(raw), range.contains(value) else {
            throw ConfigurationError(
                variable: name,
                problem: "must be an integer from \(range.lowerBound) to \(range.upperBound), got '\(raw)'"
            )
        }
        return value
    }

    public func oneOf(_ name: String, default fallback: String, allowed: [String]) throws -> String {
        let value = string(name, default: fallback)
        guard allowed.contains(value) else {
            throw ConfigurationError(variable: name, problem: "must be one of \(allowed.joined(separator: ", ")), got '\(value)'")
        }
        return value
    }

    /// A secret that must be present and long enough to be safe.
    public func secret(_ name: String, minimumBytes: Int) throws -> String {
        let value = try required(name, hint: "a random string of at least \(minimumBytes) bytes")
        guard value.utf8.count >= minimumBytes else {
            throw ConfigurationError(
                variable: name,
                problem: "is too short: it must be at least \(minimumBytes) bytes, got \(value.utf8.count)"
            )
        }
        return value
    }

    /// A URL with one of the given schemes and a host.
    public func url(_ name: String, schemes: [String], example: String) throws -> URL {
        let raw = try required(name, hint: "a URL like \(example)")
        guard let url = URL(string: raw), let scheme = url.scheme, schemes.contains(scheme), url.host?.isEmpty == false else {
            throw ConfigurationError(variable: name, problem: "must be a URL like \(example), got '\(raw)'")
        }
        return url
    }

    /// Another service's base URL (http, a path kept, no query, without a trailing slash): paths are
    /// put after it. `http://127.0.0.1:<defaultPort>` when unset.
    public func serviceURL(_ name: String, defaultPort: Int, example: String) throws -> String {
        guard optional(name) != nil else { return "http://127.0.0.1:\(defaultPort)" }
        let parsed = try url(name, schemes: ["http"], example: example)
        guard parsed.query == nil, parsed.fragment == nil else {
            throw ConfigurationError(variable: name, problem: "must be a base URL without a query, like \(example), got '\(parsed.absoluteString)'")
        }
        var url = parsed.absoluteString
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}

extension EnvironmentVariables {
    /// An ISO 4217 code: three upper-case letters.
    public func currencyCode(_ name: String, default fallback: String) throws -> String {
        let value = string(name, default: fallback)
        guard Currency.isCode(value) else {
            throw ConfigurationError(variable: name, problem: "must be an ISO 4217 currency code like CNY or USD, got '\(value)'")
        }
        return value
    }
}
