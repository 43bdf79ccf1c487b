/// An inline suppression comment: `# twlint: disable=TW101,slug -- reason` (next setting)
/// or `# twlint: disable-file=TW101` (whole file).
public struct Directive: Sendable {
    public enum Scope: Sendable, Equatable {
        case nextSetting
        case file
    }

    public let scope: Scope
    /// Codes or slugs, as written.
    public let names: [String]
    public let reason: String?
    public let location: SourceLocation
    /// For `.nextSetting`: the line of the setting it applies to, once the parser has seen it.
    public var targetLine: Int?

    /// Parses a comment's text (without the leading `#`), or returns nil when it is not a twlint directive.
    /// A directive that is recognisably twlint's but malformed yields `.failure` with the reason.
    static func parse(comment: String, location: SourceLocation) -> Result<Directive, DirectiveError>? {
        let body = comment.trimmingCharacters(in: .whitespaces)
        guard body.lowercased().hasPrefix("twlint:") else { return nil }
        var rest = body.dropFirst("twlint:".count).trimmingCharacters(in: .whitespaces)
        var reason: String?
        if let sep = rest.range(of: "--") {
            reason = rest[sep.upperBound...].trimmingCharacters(in: .whitespaces)
            rest = rest[..<sep.lowerBound].trimmingCharacters(in: .whitespaces)
        }
        let scope: Scope
        if rest.hasPrefix("disable-file=") {
            scope = .file
            rest = String(rest.dropFirst("disable-file=".count))
        } else if rest.hasPrefix("disable=") {
            scope = .nextSetting
            rest = String(rest.dropFirst("disable=".count))
        } else {
            return .failure(DirectiveError(location: location, message: "unknown twlint directive \"\(body)\": expected disable=CODE or disable-file=CODE"))
        }
        let names = rest.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else {
            return .failure(DirectiveError(location: location, message: "twlint directive names no rule: write disable=CODE[,CODE]"))
        }
        return .success(Directive(scope: scope, names: names, reason: reason?.isEmpty == true ? nil : reason, location: location))
    }

    /// Whether this directive names the rule (by code or slug, case-insensitively).
    func names(code: String, slug: String) -> Bool {
        names.contains { $0.caseInsensitiveCompare(code) == .orderedSame || $0.caseInsensitiveCompare(slug) == .orderedSame || $0.lowercased() == "all" }
    }
}

public struct DirectiveError: Error, Sendable {
    public let location: SourceLocation
    public let message: String
}

import Foundation
