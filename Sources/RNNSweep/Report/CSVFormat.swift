import Foundation

/// RFC 4180 CSV output: fields containing a comma, a double quote, CR or LF are quoted, quotes doubled;
/// records end with CRLF, as the RFC (and Python's `csv` module) write them.
public enum CSVFormat {
    /// The record terminator.
    public static let lineEnding = "\r\n"

    /// One field, quoted when needed.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record, with its terminator.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + lineEnding
    }

    /// A number at full precision (shortest round-trip form: `0.8734`, `nan`, `inf`); empty when missing.
    public static func number(_ value: Double?) -> String {
        value?.description ?? ""
    }
}
