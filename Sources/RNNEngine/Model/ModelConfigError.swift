/// A model option that cannot be built. The description names the option and what is allowed.
public enum ModelConfigError: Error, CustomStringConvertible, Equatable {
    case outOfRange(option: String, value: String, allowed: String)
    case unknownValue(option: String, value: String, allowed: [String])
    case shapeMismatch(String)
    /// An option the architecture needs was not given (or had the wrong type): a bug in the caller.
    case missingOption(String)

    public var description: String {
        switch self {
        case .outOfRange(let option, let value, let allowed):
            "\(option): \(value) is out of range; allowed \(allowed)"
        case .unknownValue(let option, let value, let allowed):
            "\(option): unknown value '\(value)'; allowed: \(allowed.joined(separator: ", "))"
        case .shapeMismatch(let message):
            "shape mismatch: \(message)"
        case .missingOption(let option):
            "\(option): missing or of the wrong type"
        }
    }

    /// Parses an enum option from text, e.g. `cell: lstm`, naming the allowed values on failure.
    public static func parse<E: RawRepresentable & CaseIterable>(_ text: String, option: String)
        throws(ModelConfigError) -> E
    where E.RawValue == String {
        if let value = E(rawValue: text) { return value }
        throw .unknownValue(option: option, value: text, allowed: E.allCases.map(\.rawValue))
    }
}
