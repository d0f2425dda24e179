import Foundation
import RNNCore

/// A labelled text corpus (`dataset: text`) turned into token ids as Keras 3's `TextVectorization` does
/// (``TextVectorizer``), with class labels.
///
/// `data_dir` is one of:
/// 1. a folder with `train/<class>/…*.txt` and `test/<class>/…*.txt` (the layout of Keras's
///    `text_dataset_from_directory` and of aclImdb): the classes are the subfolders of `train/` not starting with `.`,
///    in sorted order (by code point, as Keras sorts them), numbered 0…K−1; `test/` must have the same ones. A class's
///    documents are its `.txt` files (any case of the extension), nested folders included, taken in Keras's order
///    with `shuffle=False`: by folder, then by file name. Each file is one document, its bytes as they are (a
///    byte-order mark stays, as in Keras). When the folder also holds `train.csv`, the class folders are read.
/// 2. a folder with `train.csv` and `test.csv` (or `.tsv`): a header row naming a `text` and a `label` column
///    (other columns are ignored; names compared without case), read by ``CSVTable``; the classes are the training
///    labels in sorted order (by code point), and every test label must be one of them.
/// 3. one `.csv` or `.tsv` file with `text`, `label` and `split` columns, `split` being `train` or `test` (any case).
///
/// Every file must be valid UTF-8. The vocabulary is fitted on the training documents only — all of them, before
/// `limit` and `validation_split` take any away, as `adapt` on the training set before `fit(validation_split:)` —
/// with `vocabulary_size` as Keras's `max_tokens` (padding and `[UNK]` included; nil: every training token).
/// `sequence_length` is `output_sequence_length`. A document without tokens is a row of padding.
///
/// Examples keep file order: in layout 1 that is class by class, so a `validation_split`, which takes the end of the
/// training set, would hold only the last classes; the CSV layouts keep the order of their rows.
enum TextDataset {
    /// Loads `spec` (`dataDir`, `vocabularySize`, `sequenceLength`, `tokens`), with the given `vocabulary` (id 0
    /// `""`, 1 `"[UNK]"`, then the tokens) instead of one fitted on the training documents when there is one.
    static func load(_ spec: DatasetSpec, vocabulary: [String]? = nil) throws(DataError) -> LoadedData {
        guard let dataDir = spec.dataDir else {
            throw .invalidSpec(
                field: "data_dir", reason: "is required for text: give the folder with train/ and test/, or the CSV")
        }
        try checkOptions(spec)
        let root = URL(fileURLWithPath: FileBytes.expand(dataDir)).standardizedFileURL.path
        var files = TextFiles()
        let corpus: TextCorpus
        if FileBytes.isDirectory(root) {
            if FileBytes.isDirectory(root + "/train") || FileBytes.isDirectory(root + "/test") {
                corpus = try TextCorpus.folders(root, files: &files)
            } else {
                corpus = try TextCorpus.csvPair(root, files: &files)
            }
        } else if FileBytes.isFile(root) {
            corpus = try TextCorpus.csvFile(root, files: &files)
        } else {
            throw .unreadableFile(path: root, reason: "no such file or folder")
        }
        return try vectorize(corpus, spec: spec, root: root, sources: files.sources, vocabulary: vocabulary)
    }

    /// The spec values that make no sense for text, refused before any file is read.
    private static func checkOptions(_ spec: DatasetSpec) throws(DataError) {
        guard spec.sequenceLength >= 1 else {
            throw .invalidSpec(
                field: "sequence_length", reason: "is \(spec.sequenceLength); text needs at least 1 id per document")
        }
        if let size = spec.vocabularySize, size < 3 || size > InputKind.maximumVocabulary {
            throw .invalidSpec(
                field: "vocabulary_size",
                reason: "is \(size); for text it counts padding (0) and out-of-vocabulary (1) as Keras's max_tokens "
                    + "does, so it must be in 3...\(InputKind.maximumVocabulary)")
        }
    }

    /// Fits the vocabulary on the training documents (unless one is given) and turns both splits into `[N, T]` ids.
    private static func vectorize(
        _ corpus: TextCorpus, spec: DatasetSpec, root: String, sources: [String], vocabulary: [String]?
    ) throws(DataError) -> LoadedData {
        if let vocabulary, Array(vocabulary.prefix(2)) != ["", "[UNK]"] {
            throw .invalidSpec(field: "vocabulary", reason: "must start with \"\" (padding) and \"[UNK]\"")
        }
        let vectorizer =
            vocabulary.map { TextVectorizer(tokenization: spec.tokens, tokens: $0.map { Array($0.utf8) }) }
            ?? TextVectorizer.fit(corpus.train.map(\.text), tokenization: spec.tokens, maxTokens: spec.vocabularySize)
        guard vectorizer.tokens.count > TextVectorizer.reservedTokens.count else {
            throw .badFile(
                path: root, line: nil,
                reason: "no training document holds a \(spec.tokens == .words ? "word" : "character") once lowercased "
                    + "and stripped of punctuation, so there is no vocabulary (Keras's TextVectorization cannot adapt "
                    + "to it either)")
        }
        guard vectorizer.tokens.count <= InputKind.maximumVocabulary else {
            throw .invalidSpec(
                field: "vocabulary_size",
                reason: "is not set and the training documents hold \(vectorizer.tokens.count - 2) distinct tokens, "
                    + "more than the \(InputKind.maximumVocabulary - 2) ids an embedding takes: set it, e.g. 20000")
        }
        let length = spec.sequenceLength
        for documents in [corpus.train, corpus.test] {
            let (ids, overflow) = documents.count.multipliedReportingOverflow(by: length)
            guard !overflow && ids <= FileBytes.maximumSize / MemoryLayout<Int32>.size else {
                throw .invalidSpec(
                    field: "sequence_length",
                    reason: "is \(length), which makes \(documents.count) documents more than the "
                        + "\(FileBytes.maximumSize) bytes of ids this holds in memory")
            }
        }
        func set(_ documents: [TextCorpus.Document]) -> SequenceSet {
            var ids: [Int32] = []
            ids.reserveCapacity(documents.count * length)
            for document in documents { vectorizer.appendIDs(of: document.text, length: length, to: &ids) }
            return SequenceSet(
                timesteps: length, features: 1, labels: documents.map(\.label), storage: .tokens(ids))
        }
        return LoadedData(
            train: set(corpus.train), validation: nil, test: set(corpus.test), classes: corpus.classNames.count,
            oovToken: TextVectorizer.unknownID, sources: sources, classNames: corpus.classNames,
            vocabulary: vectorizer.vocabulary)
    }
}

/// The files a text dataset reads: their bytes, checked as UTF-8, within one memory budget for them all.
struct TextFiles {
    /// Every file read, absolute.
    private(set) var read: [String] = []
    private var totalBytes = 0

    /// The files read, sorted (by bytes, as the paths' code points).
    var sources: [String] { read.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }

    /// The file's bytes, refused when it is not valid UTF-8 or when all files together pass `FileBytes.maximumSize`.
    mutating func text(_ path: String) throws(DataError) -> [UInt8] {
        let size = try FileBytes.size(path)
        guard size <= FileBytes.maximumSize - totalBytes else {
            throw .unreadableFile(
                path: path,
                reason: "the corpus's files come to more than the \(FileBytes.maximumSize) bytes this reads")
        }
        // Never gunzipped: Keras reads a document's bytes as they are.
        let bytes = try FileBytes.read(path, gunzip: false)
        totalBytes += bytes.count
        read.append(path)
        if let offset = Self.firstInvalidUTF8(bytes) {
            let line = bytes[..<offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            throw .badFile(
                path: path, line: line,
                reason: "is not valid UTF-8: byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) at byte "
                    + "offset \(offset) does not begin a valid sequence; save the file as UTF-8")
        }
        return bytes
    }

    /// The offset of the first byte that does not begin a well-formed UTF-8 sequence (Unicode's Table 3-7: no
    /// overlong forms, no surrogates, nothing above U+10FFFF), nil when all of them are well formed.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let (width, low, high): (Int, UInt8, UInt8)
            switch lead {
            case 0xC2...0xDF: (width, low, high) = (2, 0x80, 0xBF)
            case 0xE0: (width, low, high) = (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (width, low, high) = (3, 0x80, 0xBF)
            case 0xED: (width, low, high) = (3, 0x80, 0x9F)
            case 0xF0: (width, low, high) = (4, 0x90, 0xBF)
            case 0xF1...0xF3: (width, low, high) = (4, 0x80, 0xBF)
            case 0xF4: (width, low, high) = (4, 0x80, 0x8F)
            default: return i
            }
            guard i + width <= bytes.count, bytes[i + 1] >= low, bytes[i + 1] <= high else { return i }
            for k in 2..<max(width, 2) where bytes[i + k] < 0x80 || bytes[i + k] > 0xBF { return i }
            i += width
        }
        return nil
    }
}

/// The documents and labels of a text dataset's splits, read from one of its three layouts.
struct TextCorpus {
    /// One document and its class.
    struct Document {
        let text: [UInt8]
        let label: Int32
    }

    /// The class names, in class-index order.
    var classNames: [String]
    var train: [Document]
    var test: [Document]

    /// Code-point order of two names (Python's `sorted`): their UTF-8 bytes compared, not `String`'s `<`, which
    /// follows canonical equivalence.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Whether `names` holds `name` byte for byte (`String`'s `==` would match another normalisation form).
    static func contains(_ names: [String], _ name: String) -> Bool {
        names.contains { $0.utf8.elementsEqual(name.utf8) }
    }

    // MARK: Layout 1: class folders

    /// `root/train/<class>/…*.txt` and `root/test/<class>/…*.txt`.
    static func folders(_ root: String, files: inout TextFiles) throws(DataError) -> TextCorpus {
        let trainRoot = root + "/train"
        let testRoot = root + "/test"
        let classes = try classFolders(trainRoot)
        guard !classes.isEmpty else {
            throw .badFile(
                path: trainRoot, line: nil,
                reason: "holds no class folders: put each class's .txt documents in train/<class>/ (and test/<class>/)")
        }
        let testClasses = try classFolders(testRoot)
        if let extra = testClasses.first(where: { !contains(classes, $0) }) {
            throw .badFile(
                path: testRoot + "/" + extra, line: nil,
                reason:
                    "is a class folder that train/ does not have (its classes: \(classes.joined(separator: ", "))); "
                    + "the test folder must have the same classes")
        }
        if let missing = classes.first(where: { !contains(testClasses, $0) }) {
            throw .badFile(
                path: testRoot, line: nil,
                reason: "has no folder for the class '\(missing)' that train/ has; the test folder must have the same "
                    + "classes (\(classes.joined(separator: ", ")))")
        }
        var corpus = TextCorpus(classNames: classes, train: [], test: [])
        for (part, documents) in [(trainRoot, \TextCorpus.train), (testRoot, \TextCorpus.test)] {
            for (label, name) in classes.enumerated() {
                let folder = part + "/" + name
                let paths = try documentPaths(folder)
                guard !paths.isEmpty else {
                    throw .badFile(
                        path: folder, line: nil,
                        reason: "holds no .txt file; every class folder needs at least one document (or remove it)")
                }
                for path in paths {
                    corpus[keyPath: documents].append(Document(text: try files.text(path), label: Int32(label)))
                }
            }
        }
        return corpus
    }

    /// The subfolders of `folder` not starting with `.`, sorted (Keras's `index_directory`: `os.path.isdir`, which
    /// follows links).
    private static func classFolders(_ folder: String) throws(DataError) -> [String] {
        guard FileBytes.isDirectory(folder) else {
            throw .unreadableFile(
                path: folder, reason: "no such folder; the layout is train/<class>/ and test/<class>/")
        }
        return try contents(folder).filter { !$0.hasPrefix(".") && FileBytes.isDirectory(folder + "/" + $0) }
            .sorted(by: precedes)
    }

    /// The `.txt` files under `folder` in Keras's order: `os.walk` (into real folders, not into links to folders)
    /// sorted by folder path, then each folder's files by name.
    private static func documentPaths(_ folder: String) throws(DataError) -> [String] {
        var found: [(folder: String, name: String)] = []
        var pending = [folder]
        while let current = pending.popLast() {
            for name in try contents(current) {
                let path = current + "/" + name
                let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
                if type == .typeDirectory {
                    pending.append(path)
                    continue
                }
                guard isTextName(name) else { continue }
                if type == .typeSymbolicLink && FileBytes.isDirectory(path) { continue }
                if type != .typeRegular && type != .typeSymbolicLink {
                    throw .badFile(path: path, line: nil, reason: "is not a regular file, so it cannot be a document")
                }
                found.append((current, name))
            }
        }
        found.sort { a, b in a.folder != b.folder ? precedes(a.folder, b.folder) : precedes(a.name, b.name) }
        return found.map { $0.folder + "/" + $0.name }
    }

    /// A name ending in `.txt` in any case (Keras lower-cases the name before checking).
    private static func isTextName(_ name: String) -> Bool {
        let tail = name.utf8.suffix(4).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        return tail == Array(".txt".utf8)
    }

    private static func contents(_ folder: String) throws(DataError) -> [String] {
        do { return try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw .unreadableFile(path: folder, reason: error.localizedDescription)
        }
    }

    // MARK: Layouts 2 and 3: CSV

    /// `root/train.csv` and `root/test.csv` (or `.tsv`).
    static func csvPair(_ root: String, files: inout TextFiles) throws(DataError) -> TextCorpus {
        func table(_ stem: String) throws(DataError) -> CSVTable {
            let candidates = ["csv", "tsv"].map { root + "/" + stem + "." + $0 }.filter(FileBytes.isFile)
            guard candidates.count == 1 else {
                throw .badFile(
                    path: root, line: nil,
                    reason: candidates.isEmpty
                        ? "holds neither train/ and test/ class folders nor \(stem).csv (or \(stem).tsv); see the "
                            + "text layouts in README.md"
                        : "holds both \(stem).csv and \(stem).tsv; keep one")
            }
            return try csvTable(candidates[0], files: &files)
        }
        let train = try table("train")
        let test = try table("test")
        let trainRows = try labelledRows(train, split: nil)
        let testRows = try labelledRows(test, split: nil)
        return try corpus(train: trainRows, test: testRows)
    }

    /// One CSV/TSV file whose `split` column says `train` or `test`.
    static func csvFile(_ path: String, files: inout TextFiles) throws(DataError) -> TextCorpus {
        let table = try csvTable(path, files: &files)
        return try corpus(train: labelledRows(table, split: "train"), test: labelledRows(table, split: "test"))
    }

    private static func csvTable(_ path: String, files: inout TextFiles) throws(DataError) -> CSVTable {
        let suffix = path.split(separator: ".").last.map { $0.lowercased() }
        guard suffix == "csv" || suffix == "tsv" else {
            throw .badFile(
                path: path, line: nil,
                reason: "is not a .csv or .tsv file; data_dir is a folder with train/ and test/ class folders or "
                    + "train.csv and test.csv, or one .csv/.tsv with text, label and split columns")
        }
        return try CSVTable(bytes: files.text(path), delimiter: suffix == "tsv" ? 0x09 : 0x2C, path: path)
    }

    /// A CSV row's text and label string, with where it came from.
    private struct LabelledRow {
        let text: [UInt8]
        let label: [UInt8]
        let path: String
        let line: Int
    }

    /// The rows of `table` (those whose `split` is `split`, when given), refusing what cannot be a labelled document.
    private static func labelledRows(_ table: CSVTable, split: String?) throws(DataError) -> [LabelledRow] {
        func required(_ name: String) throws(DataError) -> Int {
            guard let column = try table.column(name) else {
                throw .badFile(
                    path: table.path, line: 1,
                    reason: "the header has no '\(name)' column (it has: \(table.header.joined(separator: ", "))); "
                        + "name the columns text and label" + (split == nil ? "" : ", and split (train or test)"))
            }
            return column
        }
        let text = try required("text")
        let label = try required("label")
        let splitColumn = split == nil ? nil : try required("split")
        var rows: [LabelledRow] = []
        for row in table.rows {
            if let splitColumn {
                let value = String(decoding: row.fields[splitColumn], as: UTF8.self).lowercased()
                guard value == "train" || value == "test" else {
                    throw .badFile(
                        path: table.path, line: row.line,
                        reason: "split is '\(String(decoding: row.fields[splitColumn], as: UTF8.self))'; it must be "
                            + "train or test")
                }
                if value != split { continue }
            }
            guard !row.fields[label].isEmpty else {
                throw .badFile(path: table.path, line: row.line, reason: "the label is empty; every row needs one")
            }
            rows.append(
                LabelledRow(
                    text: row.fields[text], label: row.fields[label], path: table.path, line: row.line))
        }
        guard !rows.isEmpty else {
            throw .badFile(
                path: table.path, line: nil,
                reason: "has no \(split.map { "\($0) rows (split = \($0))" } ?? "rows"); every split needs a document")
        }
        return rows
    }

    /// The classes of the training labels in sorted order, and both splits' documents labelled by them.
    private static func corpus(train: [LabelledRow], test: [LabelledRow]) throws(DataError) -> TextCorpus {
        // Bytes, not Strings, as everywhere in text: "é" and "e\u{301}" are two labels, as in Python.
        let labels = Array(Set(train.map(\.label))).sorted { $0.lexicographicallyPrecedes($1) }
        let classes = labels.map { String(decoding: $0, as: UTF8.self) }
        var index: [[UInt8]: Int32] = [:]
        for (i, label) in labels.enumerated() { index[label] = Int32(i) }
        func documents(_ rows: [LabelledRow]) throws(DataError) -> [Document] {
            var out: [Document] = []
            out.reserveCapacity(rows.count)
            for row in rows {
                guard let label = index[row.label] else {
                    throw .badFile(
                        path: row.path, line: row.line,
                        reason:
                            "the label '\(String(decoding: row.label, as: UTF8.self))' is not among the training labels "
                            + "(\(classes.joined(separator: ", ")))")
                }
                out.append(Document(text: row.text, label: label))
            }
            return out
        }
        return TextCorpus(classNames: classes, train: try documents(train), test: try documents(test))
    }
}
