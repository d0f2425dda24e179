/// One parameter value; encodes as the plain JSON scalar (`256`, `0.2`, `"adam"`, `true`).
public enum ParameterValue: Codable, Hashable, Sendable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int.self) {
            self = .int(i)
        } else if let d = try? container.decode(Double.self) {
            self = .double(d)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let i): try container.encode(i)
        case .double(let d): try container.encode(d)
        case .string(let s): try container.encode(s)
        case .bool(let b): try container.encode(b)
        }
    }

    /// The value as a user would type it: `256`, `0.2`, `adam`, `true`.
    public var description: String {
        switch self {
        case .int(let i): String(i)
        // Swift prints the shortest representation that round-trips, identically on every platform.
        case .double(let d): String(d)
        case .string(let s): s
        case .bool(let b): String(b)
        }
    }

    /// Like `description`, but strings in single quotes (for error messages).
    public var quoted: String {
        if case .string(let s) = self { return "'\(s)'" }
        return description
    }

    /// The value as a canonical JSON scalar.
    public var jsonLiteral: String {
        switch self {
        case .int, .bool: return description
        case .double(let d): return d.isFinite ? String(d) : "null"
        case .string(let s):
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                case "\r": out += "\\r"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
    }

    /// The payload if this is `.int`.
    public var intValue: Int? { if case .int(let i) = self { i } else { nil } }
    /// The payload if this is `.double`.
    public var doubleValue: Double? { if case .double(let d) = self { d } else { nil } }
    /// The payload if this is `.string`.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    /// The payload if this is `.bool`.
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
}
