import RNNTraining
import Yams

/// Turns Yams nodes into positioned, schema-validated values, and failures into `ExperimentError`s.
struct YAMLReader {
    let path: String

    func position(_ node: Node) -> SourcePosition {
        node.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? .start
    }

    func error(_ node: Node?, _ kind: ExperimentError.Kind, _ message: String) -> ExperimentError {
        ExperimentError(path: path, position: node.map(position) ?? .start, kind: kind, message: message)
    }

    /// Parses the text into a node tree, mapping the parser's errors to its own positions and messages.
    func compose(_ yaml: String) throws(ExperimentError) -> Node? {
        do {
            return try Yams.compose(yaml: yaml)
        } catch let yamlError as YamlError {
            throw malformed(yamlError, in: yaml)
        } catch {
            throw ExperimentError(path: path, position: .start, kind: .malformedYAML, message: "\(error)")
        }
    }

    private func malformed(_ error: YamlError, in yaml: String) -> ExperimentError {
        func make(_ line: Int, _ column: Int, _ message: String) -> ExperimentError {
            ExperimentError(
                path: path, position: SourcePosition(line: line, column: column), kind: .malformedYAML,
                message: "malformed YAML: " + message)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            // libyaml's context ("while parsing a flow sequence") leads into its problem.
            let lead = context.map { "\($0.text) at \($0.mark): " } ?? ""
            return make(mark.line, mark.column, lead + problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return make(context.mark.line, context.mark.column, "key \(keys) appears more than once in this mapping")
        case .reader(let problem, let offset, _, _):
            // The reader reports a character offset; count lines up to it.
            let prefix = yaml.prefix(offset ?? 0)
            let lineStart = prefix.lastIndex(of: "\n").map(prefix.index(after:)) ?? prefix.startIndex
            let line = prefix.filter { $0 == "\n" }.count + 1
            return make(line, prefix.distance(from: lineStart, to: prefix.endIndex) + 1, problem)
        default:
            return make(1, 1, "\(error)")
        }
    }

    /// The resolved tag of a node (`Tag.name` itself is internal to Yams).
    func tagName(_ node: Node) -> Tag.Name { Tag.Name(rawValue: node.tag.rawValue) }

    /// The key nodes of a mapping as strings, with their value nodes, in file order.
    func entries(_ mapping: Node.Mapping) throws(ExperimentError) -> [(key: String, keyNode: Node, value: Node)] {
        var result: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw error(keyNode, .invalidStructure, "keys must be plain names, not lists or mappings")
            }
            result.append((scalar.string, keyNode, value))
        }
        return result
    }

    /// A plain string scalar (for `name` and `description`).
    func string(_ node: Node, key: String) throws(ExperimentError) -> String {
        guard case .scalar(let scalar) = node, tagName(node) != .null else {
            throw error(node, .invalidStructure, "\(key): expected a single text value")
        }
        return scalar.string
    }

    /// The schema spec for a parameter key, or an unknown-key error with a suggestion.
    func spec(_ key: String, at node: Node, section: String) throws(ExperimentError) -> ParameterSpec {
        if let spec = ParameterSchema.spec(named: key) { return spec }
        let suggestion = ParameterSchema.closestMatch(to: key, among: ParameterSchema.names)
        throw error(
            node, .unknownKey(key),
            "unknown parameter '\(key)' in \(section)" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""))
    }

    /// One scalar validated as a value of `spec`. Choice and path parameters take the text as written
    /// (so `data_dir: 2024` is a path); other kinds take YAML's own typing (so `units: "256"` is a string).
    func value(_ node: Node, for spec: ParameterSpec) throws(ExperimentError) -> ParameterValue {
        guard case .scalar(let scalar) = node else {
            throw error(node, .invalidStructure, "\(spec.name): expected a single value, not a list or mapping")
        }
        let tag = tagName(node)
        if tag == .null {
            throw error(node, .invalidStructure, "\(spec.name): missing value; expected \(spec.kind.expectation)")
        }
        let raw: ParameterValue
        switch (spec.kind, tag) {
        case (.choice, _), (.path, _): raw = .string(scalar.string)
        case (_, .int): raw = node.int.map(ParameterValue.int) ?? .string(scalar.string)
        case (_, .float): raw = node.float.map(ParameterValue.double) ?? .string(scalar.string)
        case (_, .bool): raw = node.bool.map(ParameterValue.bool) ?? .string(scalar.string)
        default: raw = .string(scalar.string)
        }
        do {
            return try ParameterSchema.validate(spec.name, raw)
        } catch {
            throw self.error(node, .invalidParameter(error), error.description)
        }
    }

    /// A mapping of parameters (for `defaults:` and `exclude:` entries); `seed` is refused with `seedHint`.
    func settings(_ node: Node, section: String, seedHint: String) throws(ExperimentError) -> [ParameterSetting] {
        guard case .mapping(let mapping) = node else {
            throw error(node, .invalidStructure, "\(section): expected a mapping of parameter: value")
        }
        var result: [ParameterSetting] = []
        for (key, keyNode, valueNode) in try entries(mapping) {
            if key == "seed" {
                throw error(keyNode, .misplacedKey(key), "seed cannot be set in \(section); \(seedHint)")
            }
            let spec = try spec(key, at: keyNode, section: section)
            result.append(
                ParameterSetting(key: key, value: try value(valueNode, for: spec), position: position(valueNode)))
        }
        return result
    }
}
