/// A small RFC 4180 reader: records end with CRLF (a bare LF is accepted too), fields may be quoted, `""` inside
/// quotes is one quote. Throws on text that no RFC 4180 writer produces.
enum CSVReader {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func records(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var afterQuote = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let c = pending {
            pending = scalars.next()
            if quoted {
                if c == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append(c)
                        pending = scalars.next()
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case ",":
                record.append(field)
                field = ""
                afterQuote = false
            case "\r":
                guard pending == "\n" else { throw Malformed(description: "CR without LF") }
            case "\n":
                record.append(field)
                records.append(record)
                record = []
                field = ""
                afterQuote = false
            case "\"":
                guard field.isEmpty, !afterQuote else { throw Malformed(description: "quote inside a field") }
                quoted = true
            default:
                guard !afterQuote else { throw Malformed(description: "text after a closing quote") }
                field.unicodeScalars.append(c)
            }
        }
        guard !quoted else { throw Malformed(description: "unterminated quoted field") }
        if !field.isEmpty || !record.isEmpty { records.append(record + [field]) }
        return records
    }
}
