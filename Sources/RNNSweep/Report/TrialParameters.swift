import Foundation
import RNNEngine
import RNNTraining

/// Decoding a trial's `params` column (a flat JSON object) into the schema's own ``ParameterValue``s.
///
/// A JSON `null` means "not set", exactly like an absent key (optional parameters such as `clipnorm` are left out
/// of the canonical JSON when not given), so null entries are dropped: every report path then has one notion of a
/// missing value — shown as `–` in Markdown/HTML, an empty CSV field, `null` in JSON.
public enum TrialParameters {
    /// The parameters of one trial; throws when `json` is not an object of scalars.
    ///
    /// A trial stored before a parameter existed (a later schema generation) ran with that parameter's default —
    /// the rule that kept its id — so the default is filled in: a configuration run before and after `mask` existed
    /// is one report row, not two.
    public static func decode(_ json: String) throws -> [String: ParameterValue] {
        let object = try JSONDecoder().decode([String: ParameterValue?].self, from: Data(json.utf8))
        var values = object.compactMapValues { $0 }
        let network = values[ParameterSchema.network]?.stringValue ?? ModelRegistry.names[0]
        for spec in ParameterSchema.all where spec.generation > 1 && values[spec.name] == nil {
            guard let value = spec.fixedDefault, spec.appliesTo.contains(network) else { continue }
            values[spec.name] = value
        }
        return values
    }
}

extension TrialParameters {
    /// What a trial's model predicts, from its decoded parameters (trials from before `task` existed are
    /// classifiers).
    public static func task(_ params: [String: ParameterValue]) -> Task {
        params["task"]?.stringValue.flatMap(Task.init(rawValue:)) ?? .classification
    }
}

extension ParameterValue {
    /// The value of a number (an integer or a double), nil otherwise.
    var numericValue: Double? {
        switch self {
        case .int(let int): return Double(int)
        case .double(let double): return double
        case .string, .bool: return nil
        }
    }

    /// Whether `text` (a `--where` value) denotes this value; see ``ReportFilter``.
    func matches(_ text: String) -> Bool {
        switch self {
        case .string(let value): return value.lowercased() == text.lowercased()
        case .int, .double: return Double(text).map { $0 == numericValue } ?? false
        case .bool(let value): return text.lowercased() == String(value)
        }
    }
}
