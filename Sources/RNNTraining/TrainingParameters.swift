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

/// A complete, validated set of training parameters: every schema key is present with its value or default,
/// except optional keys that were not given (`clipnorm`, `data_dir`, `limit`), which are absent.
///
/// Build one with `resolve(_:)`. Encodes as a flat JSON object; decoding re-validates.
public struct TrainingParameters: Codable, Hashable, Sendable {
    /// Parameter name → value.
    public private(set) var values: [String: ParameterValue]

    private init(validated values: [String: ParameterValue]) { self.values = values }

    /// Every default (no overrides).
    public static let defaults: TrainingParameters = try! resolve([:])

    /// Validates `overrides`, fills in defaults and applies the cross-parameter rules:
    /// the `learning_rate` default follows the optimizer, and `momentum`/`nesterov` need optimizer sgd.
    public static func resolve(_ overrides: [String: ParameterValue]) throws(ParameterError) -> TrainingParameters {
        var values: [String: ParameterValue] = [:]
        // Sorted so that, with several bad keys, the same one is reported every time.
        for name in overrides.keys.sorted() {
            values[name] = try ParameterSchema.validate(name, overrides[name]!)
        }
        for spec in ParameterSchema.all where values[spec.name] == nil {
            if let value = spec.defaultValue { values[spec.name] = value }
        }
        let optimizer = values["optimizer"]!.stringValue!
        if values["learning_rate"] == nil {
            values["learning_rate"] = .double(ParameterSchema.defaultLearningRate(for: optimizer))
        }
        if optimizer != "sgd" {
            for name in ["momentum", "nesterov"] where values[name] != ParameterSchema.spec(named: name)!.defaultValue {
                throw .invalidCombination(
                    key: name, value: values[name]!,
                    reason: "is only allowed with optimizer sgd (optimizer is \(optimizer))")
            }
        }
        return TrainingParameters(validated: values)
    }

    /// The value of `name`, or nil for an optional parameter that was not given.
    public func value(_ name: String) -> ParameterValue? {
        precondition(ParameterSchema.spec(named: name) != nil, "no parameter named \(name)")
        return values[name]
    }

    /// The integer parameter `name`; it must be present.
    public func int(_ name: String) -> Int { required(name, value(name)?.intValue) }
    /// The number parameter `name`; it must be present.
    public func double(_ name: String) -> Double { required(name, value(name)?.doubleValue) }
    /// The string (choice or path) parameter `name`; it must be present.
    public func string(_ name: String) -> String { required(name, value(name)?.stringValue) }
    /// The boolean parameter `name`; it must be present.
    public func bool(_ name: String) -> Bool { required(name, value(name)?.boolValue) }

    private func required<T>(_ name: String, _ value: T?) -> T {
        guard let value else { preconditionFailure("\(name) is absent or has another type") }
        return value
    }

    /// `{"activation":"tanh",…}`: keys sorted, no whitespace, integers as integers, doubles in the shortest
    /// round-trip form. Identical on every run and platform, so it can be hashed into `identity`.
    public var canonicalJSON: String {
        "{" + values.keys.sorted().map { "\"\($0)\":" + values[$0]!.jsonLiteral }.joined(separator: ",") + "}"
    }

    /// The trial ID: 64-bit FNV-1a of `canonicalJSON` as 16 lowercase hex digits. Every parameter in the
    /// schema changes results, so all are hashed; a future one that doesn't (a log level) must be left out.
    public var identity: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in canonicalJSON.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    public init(from decoder: any Decoder) throws {
        let raw = try [String: ParameterValue](from: decoder)
        do {
            self = try .resolve(raw)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    public func encode(to encoder: any Encoder) throws { try values.encode(to: encoder) }
}
