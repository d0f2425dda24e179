import Foundation
import RNNTraining

/// Decoding a trial's `params` column (a flat JSON object) into the schema's own ``ParameterValue``s.
///
/// A JSON `null` means "not set", exactly like an absent key (optional parameters such as `clipnorm` are left out
/// of the canonical JSON when not given), so null entries are dropped: every report path then has one notion of a
/// missing value — shown as `–` in Markdown/HTML, an empty CSV field, `null` in JSON.
public enum TrialParameters {
    /// The parameters of one trial; throws when `json` is not an object of scalars.
    public static func decode(_ json: String) throws -> [String: ParameterValue] {
        let object = try JSONDecoder().decode([String: ParameterValue?].self, from: Data(json.utf8))
        return object.compactMapValues { $0 }
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
