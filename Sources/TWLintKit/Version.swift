/// twlint's version, printed by `twlint --version` and in reports.
public let version = "0.1.0"
