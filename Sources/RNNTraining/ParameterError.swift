/// Why a parameter name or value was rejected.
public enum ParameterError: Error, CustomStringConvertible, Sendable, Hashable {
    case unknownKey(String, suggestion: String?)
    case wrongType(key: String, value: ParameterValue, expected: String)
    case outOfRange(key: String, value: ParameterValue, allowed: String)
    case notAllowed(key: String, value: ParameterValue, allowed: [String], suggestion: String?)
    /// A value that is valid alone but not together with another parameter's value.
    case invalidCombination(key: String, value: ParameterValue, reason: String)

    /// The parameter the error is about.
    public var key: String {
        switch self {
        case .unknownKey(let key, _): key
        case .wrongType(let key, _, _), .outOfRange(let key, _, _), .notAllowed(let key, _, _, _),
            .invalidCombination(let key, _, _):
            key
        }
    }

    public var description: String {
        switch self {
        case .unknownKey(let key, let suggestion):
            "unknown parameter '\(key)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .wrongType(let key, let value, let expected):
            "\(key): \(value.quoted) is not \(expected)"
        case .outOfRange(let key, let value, let allowed):
            "\(key): \(value.quoted) is out of range; allowed \(allowed)"
        case .notAllowed(let key, let value, let allowed, let suggestion):
            "\(key): \(value.quoted) is not allowed; allowed values: \(allowed.joined(separator: ", "))"
                + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case .invalidCombination(let key, let value, let reason):
            "\(key): \(value.quoted) \(reason)"
        }
    }
}
