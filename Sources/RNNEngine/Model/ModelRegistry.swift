/// Every kind of network the engine can build, one line each; the first is the default (`network: rnn`).
public enum ModelRegistry {
    public static let kinds: [any ModelArchitecture.Type] = [
        RecurrentConfig.self,
        MLPConfig.self,
    ]

    /// The `network:` values, in registry order.
    public static var names: [String] { kinds.map { $0.kind } }

    /// The kind named `name`, or nil.
    public static func kind(named name: String) -> (any ModelArchitecture.Type)? {
        kinds.first { $0.kind == name }
    }

    /// Every model option some kind reads, in registry order without repeats.
    public static var allOptions: [String] {
        var seen = Set<String>()
        return kinds.flatMap { $0.options }.filter { seen.insert($0).inserted }
    }
}
