import RNNEngine

extension ParameterSchema {
    /// The README's parameter table, generated from the schema (a test checks that the README holds exactly this).
    public static func markdownTable() -> String {
        var lines = [
            "| group | key | default | allowed | networks | meaning |",
            "|---|---|---|---|---|---|",
        ]
        var previous: ParameterGroup?
        for spec in all {
            let group = spec.group == previous ? "" : spec.group.rawValue
            previous = spec.group
            let networks =
                spec.appliesTo.count == ModelRegistry.names.count ? "all" : spec.appliesTo.joined(separator: ", ")
            let cells = [
                group, "`\(spec.name)`", spec.defaultDescription, spec.allowedDescription, networks, spec.help,
            ]
            lines.append(
                "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
