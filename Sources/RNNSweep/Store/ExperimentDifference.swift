import Foundation

/// How two resolved experiments (a sweep row's `experiment` JSON) differ, key by key: what `merge` names when two
/// databases hold different experiments under one sweep name. The description is not compared: it changes no trial.
public struct ExperimentDifference: Sendable, Equatable, CustomStringConvertible {
    /// A dotted key (`defaults.epochs`, `grid`) and its value on each side as compact JSON (`absent` when missing).
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var left: String
        public var right: String
    }

    public var entries: [Entry]

    /// Nil when the experiments are the same (but for their descriptions).
    public init?(_ left: String, _ right: String) {
        let a = Self.flatten(Self.parse(left))
        let b = Self.flatten(Self.parse(right))
        let keys = Set(a.keys).union(b.keys).subtracting(["description"]).sorted()
        let entries = keys.compactMap { key -> Entry? in
            let x = a[key] ?? "absent"
            let y = b[key] ?? "absent"
            return x == y ? nil : Entry(key: key, left: x, right: y)
        }
        guard !entries.isEmpty else { return nil }
        self.entries = entries
    }

    /// `defaults.epochs: 8 vs 10; grid: [...] vs [...]`, each value cut to 80 characters.
    public var description: String {
        entries.map { "\($0.key): \(Self.cut($0.left)) vs \(Self.cut($0.right))" }.joined(separator: "; ")
    }

    static func cut(_ text: String) -> String { text.count <= 80 ? text : String(text.prefix(79)) + "…" }

    /// The JSON value, or the text itself when it does not parse (a hand-edited row).
    static func parse(_ json: String) -> Any {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])) ?? json
    }

    /// Objects become dotted keys; arrays and scalars are leaves, as compact JSON with sorted keys.
    static func flatten(_ value: Any, prefix: String = "") -> [String: String] {
        if let object = value as? [String: Any] {
            return object.reduce(into: [:]) { result, item in
                let key = prefix.isEmpty ? item.key : "\(prefix).\(item.key)"
                result.merge(flatten(item.value, prefix: key)) { first, _ in first }
            }
        }
        let data = try? JSONSerialization.data(
            withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])
        return [prefix: data.map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"]
    }
}
