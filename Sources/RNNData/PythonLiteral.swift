/// The small subset of Python literals found in a `.npy` header dict, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (60000, 28, 28), }`.
enum PythonLiteral: Equatable {
    case string(String)
    case bool(Bool)
    case int(Int)
    case tuple([PythonLiteral])
    case dict([String: PythonLiteral])
    case none

    /// Parses `text` as one literal; throws a short reason string on anything else.
    static func parse(_ text: String) throws(ParseFailure) -> PythonLiteral {
        var parser = Parser(characters: Array(text.unicodeScalars))
        let value = try parser.value()
        parser.skipSpace()
        guard parser.atEnd else { throw ParseFailure("unexpected text after the header dict") }
        return value
    }

    /// Why a header could not be parsed.
    struct ParseFailure: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// Deepest nesting accepted; real headers nest two levels (a dict holding a tuple), and recursion on hostile
    /// input like `[[[[...` must stop long before the stack does.
    static let maximumDepth = 16

    private struct Parser {
        let characters: [Unicode.Scalar]
        var position = 0
        var depth = 0

        var atEnd: Bool { position >= characters.count }

        mutating func skipSpace() {
            while !atEnd && (characters[position].properties.isWhitespace) { position += 1 }
        }

        mutating func expect(_ scalar: Unicode.Scalar) throws(ParseFailure) {
            skipSpace()
            guard !atEnd && characters[position] == scalar else { throw ParseFailure("expected '\(scalar)'") }
            position += 1
        }

        /// Consumes `scalar` if it is next.
        mutating func accept(_ scalar: Unicode.Scalar) -> Bool {
            skipSpace()
            guard !atEnd && characters[position] == scalar else { return false }
            position += 1
            return true
        }

        mutating func value() throws(ParseFailure) -> PythonLiteral {
            skipSpace()
            guard !atEnd else { throw ParseFailure("header ends early") }
            guard depth < PythonLiteral.maximumDepth else { throw ParseFailure("nested too deeply") }
            depth += 1
            defer { depth -= 1 }
            switch characters[position] {
            case "'", "\"": return .string(try string())
            case "(": return .tuple(try sequence(closing: ")"))
            case "[": return .tuple(try sequence(closing: "]"))
            case "{": return try dict()
            default: return try word()
            }
        }

        mutating func string() throws(ParseFailure) -> String {
            let quote = characters[position]
            position += 1
            var result = String.UnicodeScalarView()
            while !atEnd && characters[position] != quote {
                result.append(characters[position])
                position += 1
            }
            guard !atEnd else { throw ParseFailure("unterminated string") }
            position += 1
            return String(result)
        }

        mutating func sequence(closing: Unicode.Scalar) throws(ParseFailure) -> [PythonLiteral] {
            position += 1
            var items: [PythonLiteral] = []
            while !accept(closing) {
                items.append(try value())
                if !accept(",") {
                    try expect(closing)
                    break
                }
            }
            return items
        }

        mutating func dict() throws(ParseFailure) -> PythonLiteral {
            position += 1
            var entries: [String: PythonLiteral] = [:]
            while !accept("}") {
                skipSpace()
                guard case .string(let key) = try value() else { throw ParseFailure("dict keys must be strings") }
                try expect(":")
                entries[key] = try value()
                if !accept(",") {
                    try expect("}")
                    break
                }
            }
            return .dict(entries)
        }

        /// `True`, `False`, `None`, or an integer (Python 2 headers may write `60000L`).
        mutating func word() throws(ParseFailure) -> PythonLiteral {
            let start = position
            while !atEnd
                && (characters[position].properties.isAlphabetic || ("0"..."9").contains(characters[position])
                    || characters[position] == "-")
            {
                position += 1
            }
            guard position > start else { throw ParseFailure("unexpected character '\(characters[position])'") }
            let token = String(String.UnicodeScalarView(characters[start..<position]))
            switch token {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .none
            default:
                let digits = token.hasSuffix("L") ? String(token.dropLast()) : token
                guard let number = Int(digits) else { throw ParseFailure("unexpected '\(token)'") }
                return .int(number)
            }
        }
    }
}
