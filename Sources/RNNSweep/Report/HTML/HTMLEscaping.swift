/// Escaping of user text (sweep names, descriptions, parameter values, the experiment file) for HTML and SVG.
///
/// Every piece of text that reaches the page goes through one of these two functions. Plot's own `.text` is not
/// used for user text: it leaves entity-like sequences (`&amp;`) as they are, so `AT&amp;T` would read `AT&T`,
/// and it does not escape attribute values at all.
public enum HTMLEscaping {
    /// Text content: `&`, `<`, `>` become entities, so the text reads exactly as given and never becomes markup.
    public static func text(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A double-quoted attribute value: also `"` and `'`.
    public static func attribute(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
