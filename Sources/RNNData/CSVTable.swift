/// A CSV (or, with a tab delimiter, TSV) file as a header and rows of byte fields, read by RFC 4180's rules with
/// Python's `csv` module's leniencies, so that what `csv.writer` or pandas writes reads back as written.
///
/// - A field in double quotes may hold delimiters, quotes (doubled: `""`) and line breaks, kept as they are.
/// - A quote inside an unquoted field is an ordinary character (as Python reads it); anything but a delimiter or a
///   line break after a closing quote is refused (`"a"b` is ambiguous).
/// - Records end at `\n`, `\r\n` or `\r`; an empty line between records is skipped (as `csv.DictReader` does).
/// - A UTF-8 byte-order mark at the very start is skipped (spreadsheet programs write one).
/// - Every row has as many fields as the header. Lines are 1-based and count the line breaks inside quoted fields;
///   a row's line is the one it starts on.
/// The bytes are not decoded: fields stay UTF-8 bytes for ``TextVectorizer``, which must see them exactly.
struct CSVTable {
    /// One record after the header.
    struct Row {
        /// The 1-based line the record starts on.
        let line: Int
        /// Its fields, unquoted.
        let fields: [[UInt8]]
    }

    /// The file, for messages.
    let path: String
    /// The header's column names (decoded as UTF-8, as they are).
    let header: [String]
    /// The records after the header, in file order.
    let rows: [Row]

    /// Parses `bytes`; `delimiter` is `,` for CSV and a tab for TSV.
    init(bytes: [UInt8], delimiter: UInt8, path: String) throws(DataError) {
        self.path = path
        var parser = Parser(bytes: bytes, delimiter: delimiter, path: path)
        guard let first = try parser.nextRecord() else {
            throw .badFile(path: path, line: nil, reason: "is empty; it needs a header row naming its columns")
        }
        header = first.fields.map { String(decoding: $0, as: UTF8.self) }
        var rows: [Row] = []
        while let record = try parser.nextRecord() {
            guard record.fields.count == header.count else {
                let what = record.fields.count < header.count ? "a missing field" : "an extra field"
                throw .badFile(
                    path: path, line: record.line,
                    reason: "the row has \(record.fields.count) field(s) but the header has \(header.count) "
                        + "(\(what)); quote a field that holds the delimiter or a line break")
            }
            rows.append(record)
        }
        self.rows = rows
    }

    /// The index of the column named `name` (compared without case and surrounding spaces), nil when there is none.
    func column(_ name: String) throws(DataError) -> Int? {
        let matches = header.indices.filter {
            header[$0].trimmingASCIISpaces().lowercased() == name.lowercased()
        }
        guard matches.count <= 1 else {
            throw .badFile(path: path, line: 1, reason: "the header names the column '\(name)' \(matches.count) times")
        }
        return matches.first
    }

    /// Splits bytes into records.
    private struct Parser {
        let bytes: [UInt8]
        let delimiter: UInt8
        let path: String
        var position = 0
        var line = 1

        init(bytes: [UInt8], delimiter: UInt8, path: String) {
            self.bytes = bytes
            self.delimiter = delimiter
            self.path = path
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        }

        static let quote = UInt8(ascii: "\"")
        static let newline = UInt8(ascii: "\n")
        static let carriageReturn = UInt8(ascii: "\r")

        /// The next non-empty record, or nil at the end.
        mutating func nextRecord() throws(DataError) -> Row? {
            while position < bytes.count {
                let start = line
                if isLineBreak(bytes[position]) {
                    consumeLineBreak()
                    continue
                }
                var fields: [[UInt8]] = []
                while true {
                    fields.append(try field())
                    guard position < bytes.count else { break }
                    if bytes[position] == delimiter {
                        // A delimiter at the very end opens one (empty) last field: the next turn reads it.
                        position += 1
                        continue
                    }
                    consumeLineBreak()
                    break
                }
                return Row(line: start, fields: fields)
            }
            return nil
        }

        /// One field, leaving `position` at the delimiter, the line break or the end that follows it.
        private mutating func field() throws(DataError) -> [UInt8] {
            guard position < bytes.count, bytes[position] == Self.quote else {
                let start = position
                while position < bytes.count && bytes[position] != delimiter && !isLineBreak(bytes[position]) {
                    position += 1
                }
                return Array(bytes[start..<position])
            }
            let openingLine = line
            position += 1
            var out: [UInt8] = []
            while true {
                guard position < bytes.count else {
                    throw .badFile(
                        path: path, line: openingLine,
                        reason: "a quoted field starts on this line and never ends: add its closing \" (and double "
                            + "every \" inside it)")
                }
                let byte = bytes[position]
                position += 1
                if byte == Self.quote {
                    if position < bytes.count && bytes[position] == Self.quote {
                        out.append(Self.quote)
                        position += 1
                        continue
                    }
                    break
                }
                if byte == Self.newline || (byte == Self.carriageReturn && bytes.get(position) != Self.newline) {
                    line += 1
                }
                out.append(byte)
            }
            if position < bytes.count && bytes[position] != delimiter && !isLineBreak(bytes[position]) {
                throw .badFile(
                    path: path, line: line,
                    reason: "text follows the closing quote of a quoted field; write a \" inside a quoted field as \"\""
                )
            }
            return out
        }

        private func isLineBreak(_ byte: UInt8) -> Bool { byte == Self.newline || byte == Self.carriageReturn }

        /// Steps over `\n`, `\r\n` or `\r` at `position`.
        private mutating func consumeLineBreak() {
            if bytes[position] == Self.carriageReturn && bytes.get(position + 1) == Self.newline { position += 1 }
            position += 1
            line += 1
        }
    }
}

extension Array where Element == UInt8 {
    /// The byte at `index`, nil past the end.
    fileprivate func get(_ index: Int) -> UInt8? { index < count ? self[index] : nil }
}

extension String {
    /// The string without leading and trailing ASCII spaces and tabs.
    fileprivate func trimmingASCIISpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
