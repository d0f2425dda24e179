import RNNCore

/// One `.ts` file of the UCR/UEA time-series archive, parsed: what its header says and its series, each stored
/// step-major (`[length, D]`, D dimensions) one after the other. `TSDataset` pairs a TRAIN and a TEST file.
///
/// The rules are aeon's `load_from_ts_file` (aeon-toolkit/aeon `aeon/datasets/_data_loaders.py`,
/// `_load_header_info` and `_load_data`):
/// - Header lines start with `@`; keys compare without case (`@problemName`, `@timeStamps`, `@missing`,
///   `@univariate`, `@equalLength`, `@classLabel true|false <labels…>`, `@targetLabel true|false`), then `@data`
///   alone on its line. Keys aeon does not know are skipped as aeon skips them. Lines starting with `#` are
///   comments, blank lines are skipped.
/// - Defaults are aeon's: `@univariate true` and `@equalLength true` unless the header says otherwise, so a
///   series with two dimensions, or one whose length differs from the first series', is refused unless the header
///   says `@univariate false` or `@equalLength false`.
/// - A series: its dimensions separated by `:`, the values of a dimension by `,`, the label last. Every series has
///   the first series' number of dimensions, and every dimension of one series has the same number of values
///   (aeon refuses both, and its tests check the second: "all channels for a single case must be the same length").
/// - `?` and `NaN` (any case) are missing values. Labels compare without case, as aeon lowercases every line;
///   the names kept are the header's as written.
///
/// Stricter than aeon, because aeon reads something else without a word: a line before `@data` that is neither a
/// header line nor a comment; a boolean key whose value is not `true`/`false`; `@dimensions`/`@dimension` and
/// `@seriesLength` (which aeon ignores) that the series contradict; a file without `@data`; `@timeStamps true`
/// (time stamps are not read); labels listed twice; a label not in the header; infinite values and values beyond
/// the range of Float (values are read as Double, as aeon's float64, then rounded to Float, as Keras casts float64
/// input to float32). Every message names the file and the 1-based line.
///
/// Totality: any bytes give a `TSFile` or a `DataError`. The text must be UTF-8 (Python's `encoding="utf-8"`);
/// nothing is allocated from a header number, and the values kept are at most one per byte of the file.
struct TSFile: Sendable {
    /// What the header says, with the line of each key that matters for a later message.
    struct Header: Sendable, Equatable {
        /// `@univariate`: true (aeon's default) allows one dimension only.
        var univariate = true
        /// `@equalLength`: true (aeon's default) requires every series to have the first one's length.
        var equalLength = true
        /// `@dimensions`/`@dimension`, when given.
        var dimensions: Int?
        /// `@seriesLength`, when given (checked only under `@equalLength true`).
        var seriesLength: Int?
        /// `@classLabel true`'s labels as written, in the header's order (the class indices); nil when not given.
        var classLabels: [String]?
        /// `@classLabel false` was given.
        var classLabelFalse = false
        /// `@targetLabel true`: one real target per series (aeon then ignores `@classLabel`).
        var targetLabel = false
        /// Lines of `@classLabel`, `@targetLabel` and `@data` (0 when absent).
        var classLabelLine = 0
        var targetLabelLine = 0
        var dataLine = 0
    }

    /// The file's path, as messages name it.
    let path: String
    let header: Header
    /// D: values per step, the same for every series.
    let dimensions: Int
    /// The line of the first series, for messages comparing two files.
    let firstSeriesLine: Int
    /// The number of steps of each series.
    let lengths: [Int]
    /// The series one after the other, each `[length, D]`. A missing value is NaN (only with `missing: zero`;
    /// `TSDataset` writes it as 0 after normalization, so that it stays 0).
    let values: [Float]
    /// Classification: each series' class, the index of its label in `header.classLabels`.
    let classes: [Int32]
    /// Regression: each series' target.
    let targets: [Float]

    /// The longest series' length.
    var longest: Int { lengths.max() ?? 0 }

    /// "1 value", "2 values": counts in messages.
    static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// Reads the file at `path` for `task`, with missing values refused or kept as NaN (`missing`).
    static func read(_ path: String, task: Task, missing: MissingValues) throws(DataError) -> TSFile {
        try parse(FileBytes.read(path, gunzip: false), path: path, task: task, missing: missing)
    }

    /// Parses the bytes of a `.ts` file; `path` is only for messages.
    static func parse(_ bytes: [UInt8], path: String, task: Task, missing: MissingValues) throws(DataError)
        -> TSFile
    {
        var parser = TSParser(bytes: bytes, path: path, task: task, missing: missing)
        return try parser.file()
    }
}

/// The state of one parse: a cursor over the bytes (one pass; lines are ranges, never copied as a whole) and the
/// series read so far.
private struct TSParser {
    /// Most classes a header may list (the npz loader's limit): labels become Int32 class indices.
    static let maximumClasses = NPZDataset.maximumClasses

    let bytes: [UInt8]
    let path: String
    let task: Task
    let missing: MissingValues
    var position = 0
    var lineNumber = 0
    var header = TSFile.Header()
    /// Lowercased label → class index.
    var labelIndex: [String: Int32] = [:]
    var dimensions = 0
    var firstLength = 0
    var firstSeriesLine = 0
    var lengths: [Int] = []
    var values: [Float] = []
    var classes: [Int32] = []
    var targets: [Float] = []
    /// One series' values, dimension-major as the line holds them, before they are stored step-major.
    var scratch: [Float] = []

    init(bytes: [UInt8], path: String, task: Task, missing: MissingValues) {
        self.bytes = bytes
        self.path = path
        self.task = task
        self.missing = missing
        // A UTF-8 byte-order mark, written by some editors, is not part of the first line.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    func counted(_ count: Int, _ noun: String) -> String { TSFile.counted(count, noun) }

    func error(_ reason: String, line: Int? = nil) -> DataError {
        .badFile(path: path, line: line ?? lineNumber, reason: reason)
    }

    mutating func file() throws(DataError) -> TSFile {
        try readHeader()
        try checkTask()
        while let line = try nextLine() {
            if line.isEmpty || bytes[line.lowerBound] == UInt8(ascii: "#") { continue }
            try readSeries(line)
        }
        guard !lengths.isEmpty else { throw .emptySplit(path: path, member: nil) }
        return TSFile(
            path: path, header: header, dimensions: dimensions, firstSeriesLine: firstSeriesLine, lengths: lengths,
            values: values, classes: classes, targets: targets)
    }

    // MARK: Lines

    /// The next line without its terminator (`\n`, `\r\n` or `\r`, as Python's universal newlines) and without
    /// surrounding blanks; nil at the end of the file. Counts lines and checks the line is UTF-8.
    mutating func nextLine() throws(DataError) -> Range<Int>? {
        guard position < bytes.count else { return nil }
        lineNumber += 1
        let start = position
        var end = start
        var ascii = true
        while end < bytes.count {
            let byte = bytes[end]
            if byte == 0x0A || byte == 0x0D { break }
            if byte >= 0x80 { ascii = false }
            end += 1
        }
        position = end
        if position < bytes.count {
            let crlf = bytes[position] == 0x0D && position + 1 < bytes.count && bytes[position + 1] == 0x0A
            position += crlf ? 2 : 1
        }
        // A multi-byte UTF-8 sequence never holds a line break byte, so checking line by line checks the file.
        if !ascii && String(validating: bytes[start..<end], as: UTF8.self) == nil {
            throw error("is not UTF-8 text; save the file as UTF-8")
        }
        return trimmed(start..<end)
    }

    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0B || byte == 0x0C
    }

    func trimmed(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper && Self.isBlank(bytes[lower]) { lower += 1 }
        while upper > lower && Self.isBlank(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// The bytes of `range` as text for a message, cut to 40 characters.
    func quoted(_ range: Range<Int>) -> String {
        let text = String(decoding: bytes[range], as: UTF8.self)
        return "'" + (text.count > 40 ? text.prefix(40) + "…" : text) + "'"
    }

    // MARK: Header

    mutating func readHeader() throws(DataError) {
        while let line = try nextLine() {
            if line.isEmpty || bytes[line.lowerBound] == UInt8(ascii: "#") { continue }
            guard bytes[line.lowerBound] == UInt8(ascii: "@") else {
                throw error(
                    "\(quoted(line)) comes before @data but is neither a header line (@key value) nor a comment (#); "
                        + "the series follow a line @data")
            }
            let tokens = String(decoding: bytes[line], as: UTF8.self).split(whereSeparator: \.isWhitespace)
            let key = tokens[0].dropFirst().lowercased()
            let arguments = tokens.dropFirst().map(String.init)
            switch key {
            case "data":
                guard arguments.isEmpty else { throw error("@data takes no value; the series start on the next line") }
                header.dataLine = lineNumber
                return
            case "timestamps":
                if try flag(tokens[0], arguments) {
                    throw error(
                        "time stamps (@timeStamps true) are not supported: write the series without their time stamps "
                            + "and set @timeStamps false")
                }
            case "missing": _ = try flag(tokens[0], arguments)
            case "univariate": header.univariate = try flag(tokens[0], arguments)
            case "equallength": header.equalLength = try flag(tokens[0], arguments)
            case "targetlabel":
                header.targetLabel = try flag(tokens[0], arguments)
                header.targetLabelLine = lineNumber
            case "classlabel": try readClassLabels(tokens[0], arguments)
            case "dimension", "dimensions": header.dimensions = try count(tokens[0], arguments)
            case "serieslength": header.seriesLength = try count(tokens[0], arguments)
            default: break  // @problemName, and keys aeon does not read either
            }
        }
        throw .badFile(
            path: path, line: nil, reason: "has no @data line: the header must end with @data, followed by the series")
    }

    func flag(_ key: Substring, _ arguments: [String]) throws(DataError) -> Bool {
        guard arguments.count == 1, let value = ["true": true, "false": false][arguments[0].lowercased()] else {
            let found = arguments.count == 1 ? arguments[0] : "\(arguments.count) values"
            throw error("\(key) takes one value, true or false (found \(found))")
        }
        return value
    }

    /// A count from the header: it cannot exceed the file's size (each value takes at least a byte), so an absurd one
    /// is refused here, although nothing is allocated from it.
    func count(_ key: Substring, _ arguments: [String]) throws(DataError) -> Int {
        guard arguments.count == 1, let value = Int(arguments[0]), value >= 1, value <= bytes.count else {
            throw error(
                "\(key) takes one whole number from 1 to the \(bytes.count) bytes of the file (found "
                    + "\(arguments.prefix(3).joined(separator: " ")))")
        }
        return value
    }

    mutating func readClassLabels(_ key: Substring, _ arguments: [String]) throws(DataError) {
        header.classLabelLine = lineNumber
        switch arguments.first?.lowercased() {
        case "true":
            let labels = Array(arguments.dropFirst())
            guard !labels.isEmpty else { throw error("@classLabel true must list the labels: @classLabel true a b c") }
            guard labels.count <= Self.maximumClasses else {
                throw error("@classLabel lists \(labels.count) labels; at most \(Self.maximumClasses) classes are read")
            }
            var index: [String: Int32] = [:]
            for (i, label) in labels.enumerated() {
                let folded = label.lowercased()
                if let first = index[folded] {
                    throw error(
                        "@classLabel lists '\(label)' twice (as label \(first + 1) and \(i + 1); labels compare "
                            + "without case, as aeon lowercases them)")
                }
                index[folded] = Int32(i)
            }
            header.classLabels = labels
            header.classLabelFalse = false
            labelIndex = index
        case "false":
            header.classLabels = nil
            header.classLabelFalse = true
            labelIndex = [:]
        default:
            throw error("\(key) takes true followed by the labels, or false")
        }
    }

    /// The header must promise what the task reads. aeon lets `@targetLabel true` override `@classLabel`.
    func checkTask() throws(DataError) {
        if header.targetLabel {
            guard task == .regression else {
                throw error(
                    "the file has regression targets (@targetLabel true); set task: regression",
                    line: header.targetLabelLine)
            }
        } else if header.classLabels != nil {
            guard task == .classification else {
                throw error(
                    "the file has class labels (@classLabel); set task: classification", line: header.classLabelLine)
            }
        } else if header.classLabelFalse {
            let needed =
                task == .classification ? "a class label (@classLabel true <labels…>)" : "a target (@targetLabel true)"
            throw error(
                "the file has no labels (@classLabel false), but every series needs \(needed)",
                line: header.classLabelLine)
        } else {
            throw error(
                task == .classification
                    ? "the header has no @classLabel line: list the labels before @data (@classLabel true a b c)"
                    : "the header has no @targetLabel true line: add it before @data for regression targets",
                line: header.dataLine)
        }
    }

    // MARK: Series

    /// One data line: `v,v,…:v,v,…:…:label`.
    mutating func readSeries(_ line: Range<Int>) throws(DataError) {
        var colon = line.upperBound - 1
        while colon >= line.lowerBound && bytes[colon] != UInt8(ascii: ":") { colon -= 1 }
        guard colon >= line.lowerBound else {
            throw error(
                "has no ':' before its \(task == .classification ? "label" : "target"); a series is "
                    + "v,v,…:v,v,…:…:\(task == .classification ? "label" : "target") (dimensions separated by ':')")
        }
        scratch.removeAll(keepingCapacity: true)
        var dimension = 0
        var length = 0
        var start = line.lowerBound
        while true {
            var end = start
            while end < colon && bytes[end] != UInt8(ascii: ":") { end += 1 }
            dimension += 1
            try readDimension(start..<end, dimension: dimension, length: dimension == 1 ? nil : length)
            if dimension == 1 { length = scratch.count }
            if end >= colon { break }
            start = end + 1
        }
        try checkShape(dimensions: dimension, length: length)
        try readTarget(trimmed((colon + 1)..<line.upperBound))
        lengths.append(length)
        // Dimension-major in the line, step-major in the set: step t holds every dimension's value t.
        for t in 0..<length {
            for d in 0..<dimension { values.append(scratch[d * length + t]) }
        }
    }

    /// The values of one dimension, appended to `scratch`; `length`: the first dimension's count they must match.
    mutating func readDimension(_ range: Range<Int>, dimension: Int, length: Int?) throws(DataError) {
        let part = trimmed(range)
        guard !part.isEmpty else {
            throw error("dimension \(dimension) is empty; every dimension needs at least one value")
        }
        var position = 0
        var start = part.lowerBound
        while true {
            var end = start
            while end < part.upperBound && bytes[end] != UInt8(ascii: ",") { end += 1 }
            position += 1
            if let length, position > length {
                throw error(
                    "dimension \(dimension) has more values than dimension 1 (\(length)); every dimension of a series "
                        + "needs the same number of values, as in aeon")
            }
            scratch.append(try value(trimmed(start..<end), dimension: dimension, position: position))
            if end >= part.upperBound { break }
            start = end + 1
        }
        if let length, position < length {
            throw error(
                "dimension \(dimension) has \(counted(position, "value")) but dimension 1 has \(length); every dimension of a "
                    + "series needs the same number of values, as in aeon")
        }
    }

    func value(_ range: Range<Int>, dimension: Int, position: Int) throws(DataError) -> Float {
        switch TSNumber.parse(bytes, range) {
        case .number(let value):
            let float = Float(value)
            guard float.isFinite else {
                throw error(
                    "dimension \(dimension) has \(quoted(range)) at position \(position), which is beyond the range "
                        + "of a 32-bit float")
            }
            return float
        case .missing:
            guard missing == .zero else {
                throw error(
                    "dimension \(dimension) has a missing value (\(String(decoding: bytes[range], as: UTF8.self))) at "
                        + "position \(position); set missing: zero to read it as 0")
            }
            return .nan
        case .invalid:
            throw error(
                range.isEmpty
                    ? "dimension \(dimension) has no value at position \(position) (two commas in a row?)"
                    : "dimension \(dimension) has \(quoted(range)) at position \(position), which is not a number")
        }
    }

    /// The first series fixes D and, under `@equalLength true`, the length; the header may fix either first.
    mutating func checkShape(dimensions count: Int, length: Int) throws(DataError) {
        if header.univariate && count > 1 {
            throw error(
                "has \(count) dimensions but the header says the series are univariate (@univariate true, aeon's "
                    + "default); set @univariate false")
        }
        if let declared = header.dimensions, count != declared {
            throw error("has \(counted(count, "dimension")) but the header says @dimensions \(declared)")
        }
        if lengths.isEmpty {
            dimensions = count
            firstLength = length
            firstSeriesLine = lineNumber
        } else if count != dimensions {
            throw error(
                "has \(counted(count, "dimension")) but the first series (line \(firstSeriesLine)) has \(dimensions); every "
                    + "series needs the same number")
        }
        guard header.equalLength else { return }
        if let declared = header.seriesLength, length != declared {
            throw error(
                "has \(counted(length, "value")) per dimension but the header says @seriesLength \(declared) "
                    + "(set @equalLength false for series of different lengths)")
        }
        if length != firstLength {
            throw error(
                "has \(counted(length, "value")) per dimension but the first series (line \(firstSeriesLine)) has "
                    + "\(firstLength), and the series are of equal length (@equalLength true, aeon's default); set "
                    + "@equalLength false for series of different lengths")
        }
    }

    mutating func readTarget(_ range: Range<Int>) throws(DataError) {
        switch task {
        case .classification:
            guard !range.isEmpty else { throw error("has no label after its last ':'") }
            let label = String(decoding: bytes[range], as: UTF8.self)
            guard let index = labelIndex[label.lowercased()] else {
                let labels = header.classLabels ?? []
                let listed = labels.prefix(20).joined(separator: " ") + (labels.count > 20 ? " …" : "")
                throw error("label \(quoted(range)) is not one of the header's @classLabel labels (\(listed))")
            }
            classes.append(index)
        case .regression:
            switch TSNumber.parse(bytes, range) {
            case .number(let value) where Float(value).isFinite:
                targets.append(Float(value))
            case .number:
                throw error("the target \(quoted(range)) is not a finite 32-bit float")
            case .missing:
                throw error("the target is missing (\(quoted(range))); every series needs a finite target")
            case .invalid:
                throw error(
                    range.isEmpty
                        ? "has no target after its last ':'"
                        : "the target \(quoted(range)) is not a number")
            }
        }
    }
}

/// A value of a `.ts` file: a decimal number as Python's `float()` reads it (sign, digits with an optional point,
/// optional exponent; no underscores, hex or `inf`), or a missing value (`?`, `nan` in any case).
enum TSNumber {
    enum Parsed: Equatable {
        case number(Double)
        case missing
        case invalid
    }

    /// 10⁰ … 10²², the powers of ten a Double holds exactly (5²² < 2⁵³), for Clinger's fast path.
    private static let exactPowers: [Double] = (0...22).map { n in (0..<n).reduce(1.0) { power, _ in power * 10 } }

    static func parse(_ bytes: [UInt8], _ range: Range<Int>) -> Parsed {
        guard !range.isEmpty else { return .invalid }
        if range.count == 1 && bytes[range.lowerBound] == UInt8(ascii: "?") { return .missing }
        if range.count == 3 && bytes[range.lowerBound] | 0x20 == UInt8(ascii: "n")
            && bytes[range.lowerBound + 1] | 0x20 == UInt8(ascii: "a")
            && bytes[range.lowerBound + 2] | 0x20 == UInt8(ascii: "n")
        {
            return .missing
        }
        var i = range.lowerBound
        let end = range.upperBound
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative || bytes[i] == UInt8(ascii: "+") { i += 1 }
        // The significant digits as an integer while it fits exactly, and the power of ten that scales it.
        var mantissa: UInt64 = 0
        var significant = 0
        var scale = 0
        var digits = 0
        var pointSeen = false
        while i < end {
            let byte = bytes[i]
            if byte == UInt8(ascii: "."), !pointSeen {
                pointSeen = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits += 1
                if mantissa == 0 && byte == UInt8(ascii: "0") {
                    if pointSeen { scale -= 1 }
                } else if significant < 19 {
                    mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
                    significant += 1
                    if pointSeen { scale -= 1 }
                } else {
                    significant += 1  // beyond 19 digits: only the slow path is exact
                    if !pointSeen { scale += 1 }
                }
            } else {
                break
            }
            i += 1
        }
        guard digits > 0 else { return .invalid }
        if i < end {
            guard bytes[i] | 0x20 == UInt8(ascii: "e") else { return .invalid }
            i += 1
            var exponentNegative = false
            if i < end && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var exponent = 0
            var exponentDigits = 0
            while i < end && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") {
                // Clamped: 1e99999999999 must not overflow an Int, and is infinite (or 0) either way.
                exponent = min(exponent * 10 + Int(bytes[i] - UInt8(ascii: "0")), 100_000)
                exponentDigits += 1
                i += 1
            }
            guard exponentDigits > 0 && i == end else { return .invalid }
            scale += exponentNegative ? -exponent : exponent
        }
        // Clinger's fast path: an integer below 2^53 times or over an exact power of ten rounds once, correctly.
        if significant <= 19 && mantissa < (1 << 53) && scale >= -22 && scale <= 22 {
            let magnitude = scale >= 0 ? Double(mantissa) * exactPowers[scale] : Double(mantissa) / exactPowers[-scale]
            return .number(negative ? -magnitude : magnitude)
        }
        // Anything else through the C library's correctly rounded conversion; the grammar is already checked.
        guard let value = Double(String(decoding: bytes[range], as: UTF8.self)) else { return .invalid }
        return .number(value)
    }
}
