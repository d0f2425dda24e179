import ArgumentParser
import RNNData
import RNNEngine
import RNNTraining

/// The training parameters on the command line, derived from `ParameterSchema` rather than declared option by
/// option: `--units 256`, `--units=256`, `--merge-mode sum`; a boolean alone means true (`--bidirectional`), or
/// takes `true`/`false` (`--reset-after false`), or is negated (`--no-bidirectional`). The help text lists every
/// accepted parameter with its type, default and allowed values, from the same schema.
struct ParameterArguments: ParsableArguments {
    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp(
            "Training parameters, e.g. --cell lstm --units 128 (see PARAMETERS above; the keys of experiment files).",
            valueName: "--parameter value"))
    var tokens: [String] = []

    /// Parses the tokens against the schema, accepting only the parameters of `groups`, and resolves them (defaults,
    /// cross-parameter rules). Errors are usage errors naming the option as typed.
    func parameters(groups: Set<ParameterGroup>) throws -> TrainingParameters {
        let overrides = try Self.parse(tokens, groups: groups)
        do {
            return try TrainingParameters.resolve(overrides)
        } catch {
            throw ValidationError(Self.flagged(error.description, ParameterSchema.spec(named: error.key)))
        }
    }

    static func parse(_ tokens: [String], groups: Set<ParameterGroup>) throws -> [String: ParameterValue] {
        let allowed = ParameterSchema.all.filter { groups.contains($0.group) }
        let byFlag = Dictionary(uniqueKeysWithValues: allowed.map { ($0.flag, $0) })
        var result: [String: ParameterValue] = [:]
        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            i += 1
            guard token.hasPrefix("--") else {
                throw ValidationError("unexpected argument '\(token)'; parameters are given as --name value")
            }
            var flag = token
            var inline: String?
            if let equals = token.firstIndex(of: "=") {
                flag = String(token[..<equals])
                inline = String(token[token.index(after: equals)...])
            }
            var negated = false
            var spec = byFlag[flag]
            if spec == nil, flag.hasPrefix("--no-"), let positive = byFlag["--" + flag.dropFirst(5)],
                positive.kind == .bool, inline == nil
            {
                spec = positive
                negated = true
            }
            guard let spec else { throw unknown(flag, allowed: allowed) }
            guard result[spec.name] == nil else { throw ValidationError("\(spec.flag) is given more than once") }
            let text: String?
            if negated {
                text = "false"
            } else if let inline {
                text = inline
            } else if spec.kind == .bool {
                // A boolean alone means true; an explicit true/false may follow.
                if i < tokens.count, tokens[i] == "true" || tokens[i] == "false" {
                    text = tokens[i]
                    i += 1
                } else {
                    text = "true"
                }
            } else if i < tokens.count {
                text = tokens[i]
                i += 1
            } else {
                text = nil
            }
            guard let text else {
                throw ValidationError("\(spec.flag) needs a value (\(spec.kind.expectation))")
            }
            do {
                result[spec.name] = try ParameterSchema.validate(spec.name, value(text, for: spec))
            } catch {
                throw ValidationError(Self.flagged(error.description, spec))
            }
        }
        return result
    }

    /// The typed value of `text` for `spec`; text that does not parse stays a string, so validation names the type.
    private static func value(_ text: String, for spec: ParameterSpec) -> ParameterValue {
        switch spec.kind {
        case .int: Int(text).map(ParameterValue.int) ?? .string(text)
        case .double: Double(text).map(ParameterValue.double) ?? .string(text)
        case .bool: Bool(text).map(ParameterValue.bool) ?? .string(text)
        case .choice: .string(text)
        // A path on the command line is relative to the current folder (in an experiment file, to the file's).
        case .path: .string(DataPath.resolve(text, against: DataPath.currentFolder))
        case .choiceOrNumber: Double(text).map(ParameterValue.double) ?? .string(text)
        }
    }

    /// A schema message (`units: 0 is out of range …`) with the option as the user typed it.
    static func flagged(_ message: String, _ spec: ParameterSpec?) -> String {
        guard let spec, message.hasPrefix(spec.name + ":") else { return message }
        return spec.flag + message.dropFirst(spec.name.count)
    }

    private static func unknown(_ flag: String, allowed: [ParameterSpec]) -> ValidationError {
        let name = String(flag.dropFirst(2)).replacingOccurrences(of: "-", with: "_")
        if let other = ParameterSchema.spec(named: name) {
            return ValidationError("\(flag) is a \(other.group.rawValue) parameter, which this command does not take")
        }
        let suggestion = ParameterSchema.closestMatch(to: name, among: allowed.map(\.name))
        return ValidationError(
            "unknown option '\(flag)'"
                + (suggestion.map { "; did you mean '\(ParameterSchema.spec(named: $0)!.flag)'?" } ?? ""))
    }

    /// The help section listing the parameters of `groups`, for a command's `discussion`.
    static func help(groups: [ParameterGroup]) -> String {
        var lines: [String] = ["PARAMETERS (also keys of experiment files; `rnnsweep parameters` lists them all):"]
        for group in groups {
            lines.append("  \(group.rawValue):")
            for spec in ParameterSchema.all where spec.group == group {
                let value = spec.kind == .bool ? "" : " <\(placeholder(spec))>"
                var detail = spec.help + " (default: \(spec.defaultDescription)"
                if spec.appliesTo.count < ModelRegistry.names.count {
                    detail += "; network " + spec.appliesTo.joined(separator: ", ")
                }
                detail += ")"
                lines.append("    \(spec.flag)\(value)")
                lines += wrap(detail, width: 70).map { "        " + $0 }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Words of `text` in lines of at most `width` characters (ArgumentParser would wrap a longer line without the
    /// indent).
    private static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return line.isEmpty ? lines : lines + [line]
    }

    private static func placeholder(_ spec: ParameterSpec) -> String {
        switch spec.kind {
        case .choice(let allowed): allowed.joined(separator: "|")
        case .int, .double: spec.range.map { "\(spec.kind == .int ? "n" : "x") in \($0)" } ?? "x"
        case .path: "path"
        case .choiceOrNumber(let allowed): allowed.joined(separator: "|") + "|x"
        case .bool: ""
        }
    }
}
