import Foundation
import RNNTraining

/// One decoded parameter value from a trial's `params` JSON object (flat: keys map to scalars).
public enum ParamScalar: Sendable, Hashable, Codable, CustomStringConvertible {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let int = try? container.decode(Int64.self) {
            self = .int(int)
        } else if let double = try? container.decode(Double.self) {
            self = .double(double)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .int(let int): try container.encode(int)
        case .double(let double): try container.encode(double)
        case .bool(let bool): try container.encode(bool)
        case .null: try container.encodeNil()
        }
    }

    /// Decodes a params JSON object.
    public static func decodeObject(_ json: String) throws -> [String: ParamScalar] {
        try JSONDecoder().decode([String: ParamScalar].self, from: Data(json.utf8))
    }

    /// The raw text (CSV cells): strings as is, numbers in shortest round-trip form, `true`/`false`, empty for null.
    public var description: String {
        switch self {
        case .string(let text): return text
        case .int(let int): return String(int)
        case .double(let double): return double.description
        case .bool(let bool): return String(bool)
        case .null: return ""
        }
    }

    /// The value as a training parameter (`null` has none), for code that reads parameters, such as a network
    /// kind's `label(options:)`.
    public var parameterValue: ParameterValue? {
        switch self {
        case .string(let text): return .string(text)
        case .int(let int): return .int(Int(int))
        case .double(let double): return .double(double)
        case .bool(let bool): return .bool(bool)
        case .null: return nil
        }
    }

    /// The numeric value of a number, nil otherwise.
    public var number: Double? {
        switch self {
        case .int(let int): return Double(int)
        case .double(let double): return double
        default: return nil
        }
    }

    /// Whether `text` (a `--where` value) denotes this value; see ``ReportFilter``.
    public func matches(_ text: String) -> Bool {
        switch self {
        case .string(let value): return value.lowercased() == text.lowercased()
        case .int, .double: return Double(text).map { $0 == number } ?? false
        case .bool(let value): return text.lowercased() == String(value)
        case .null: return text.isEmpty || text.lowercased() == "null"
        }
    }
}
