import Foundation

/// User text (a description, a name, a path, a parameter value) made safe to print on a terminal: control
/// characters would otherwise move the cursor, clear the screen, retitle the window or hide what follows.
///
/// Every C0 control but tab and line feed, DEL, the C1 controls (U+0080–U+009F) and the Unicode direction
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder what a terminal shows, are written as
/// Swift's `\u{1B}` notation, so the text stays readable, unambiguous and one line per line.
public enum TerminalText {
    /// `text` with every such character escaped; other text unchanged.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `escaped`, with line feeds and tabs escaped too: for text that must stay on one line (a table cell).
    public static func escapedLine(_ text: String) -> String {
        escaped(text).replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: return false
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
