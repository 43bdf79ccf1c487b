/// Named Swift checks for what XML conditions cannot say.
enum RuleEvaluators {
    static let named: [String: String] = [:]
}
