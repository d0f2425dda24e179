import Foundation
import RNNCore
import Testing

@testable import RNNData

/// `TextDataset` on its three layouts: the fixture folder against Keras's ids, the same documents as CSV and TSV
/// files the tests write, class order, and every refusal with its file and line.
@Suite struct TextDatasetTests {
    typealias Reference = TextVectorizationReference

    static func spec(
        _ path: String, length: Int = 8, maxTokens: Int? = nil, tokens: Tokenization = .words
    ) -> DatasetSpec {
        DatasetSpec(
            name: "text", dataDir: path, sequenceLength: length, input: .tokens, vocabularySize: maxTokens,
            tokens: tokens)
    }

    static func ids(_ set: SequenceSet) -> [[Int32]] {
        guard case .tokens(let ids) = set.storage else { return [] }
        return (0..<set.count).map { Array(ids[($0 * set.stride)..<(($0 + 1) * set.stride)]) }
    }

    /// Checks `data` against every reference case's ids, labels, classes and vocabulary (loading `path` per case).
    static func expectKerasIDs(_ path: String, label: String) throws {
        for reference in Reference.cases {
            let name =
                "\(label): \(reference.split), max_tokens \(reference.maxTokens.map(String.init) ?? "None"), "
                + "length \(reference.length)"
            let data = try TextDataset.load(
                spec(
                    path, length: reference.length, maxTokens: reference.maxTokens,
                    tokens: TextVectorizerTests.tokenization(reference.split)))
            #expect(ids(data.train) == reference.train, "\(name): train")
            #expect(ids(data.test) == reference.test, "\(name): test")
            #expect(data.train.labels == Reference.trainLabels && data.test.labels == Reference.testLabels, "\(name)")
            #expect(data.classes == 3 && data.classNames == Reference.classNames, "\(name)")
            #expect(
                TextVectorizerTests.bytes(data.vocabulary ?? []) == TextVectorizerTests.bytes(reference.vocabulary),
                "\(name): vocabulary")
            #expect(data.oovToken == 1 && data.validation == nil && data.train.features == 1, "\(name)")
        }
    }

    @Test func theFixtureFolderGivesKerassIDs() throws {
        let folder = try TextVectorizerTests.fixtureFolder()
        try Self.expectKerasIDs(folder.path, label: "folder")
        // Every .txt document (".TXT" and the nested one included; notes.md not) is a source, absolute and sorted.
        let data = try TextDataset.load(Self.spec(folder.path))
        let expected = (Reference.trainFiles + Reference.testFiles).map { folder.appendingPathComponent($0).path }
        #expect(data.sources == expected.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }

    /// A CSV field of the document: quoted, with its quotes doubled (commas, line breaks and quotes kept inside).
    static func quoted(_ text: [UInt8]) -> [UInt8] {
        [0x22] + text.flatMap { $0 == 0x22 ? [0x22, 0x22] : [$0] } + [0x22]
    }

    /// The fixture documents as CSV rows `text,label[,split]` (extra columns around them, which are ignored).
    static func csvRows(_ files: [String], labels: [Int32], split: String?, delimiter: UInt8) throws -> [UInt8] {
        let texts = try TextVectorizerTests.fixtureTexts(files)
        var out: [UInt8] = []
        for (text, label) in zip(texts, labels) {
            let name = Array(Reference.classNames[Int(label)].utf8)
            out += Array("x".utf8) + [delimiter] + quoted(text) + [delimiter] + name
            if let split { out += [delimiter] + Array(split.utf8) }
            out += Array("\r\n".utf8)
        }
        return out
    }

    @Test func csvAndTSVFilesGiveTheSameIDs() throws {
        for (delimiter, suffix) in [(UInt8(0x2C), "csv"), (UInt8(0x09), "tsv")] {
            let directory = try TempDirectory()
            let d = [delimiter]
            // A byte-order mark and header names in another case, with spaces, as spreadsheets write them.
            let header = [0xEF, 0xBB, 0xBF] + Array("id".utf8) + d + Array(" Text".utf8) + d + Array("LABEL\n".utf8)
            _ = try directory.write(
                header
                    + Self.csvRows(
                        Reference.trainFiles, labels: Reference.trainLabels, split: nil, delimiter: delimiter),
                to: "train.\(suffix)")
            _ = try directory.write(
                Array("id".utf8) + d + Array("text".utf8) + d + Array("label\n".utf8)
                    + Self.csvRows(Reference.testFiles, labels: Reference.testLabels, split: nil, delimiter: delimiter),
                to: "test.\(suffix)")
            try Self.expectKerasIDs(directory.path, label: "train.\(suffix) + test.\(suffix)")

            // One file, the splits interleaved and named in any case.
            let train = try Self.csvRows(
                Reference.trainFiles, labels: Reference.trainLabels, split: "Train", delimiter: delimiter)
            let test = try Self.csvRows(
                Reference.testFiles, labels: Reference.testLabels, split: "TEST", delimiter: delimiter)
            let file = try directory.write(
                Array("id".utf8) + d + Array("text".utf8) + d + Array("label".utf8) + d + Array("split\n".utf8)
                    + test + train,
                to: "corpus.\(suffix)")
            try Self.expectKerasIDs(file, label: "corpus.\(suffix)")
            #expect(try TextDataset.load(Self.spec(file)).sources == [file])
        }
    }

    @Test func quotedFieldsKeepCommasQuotesAndLineBreaks() throws {
        let directory = try TempDirectory()
        let file = try directory.write(
            Array(
                """
                text,label,split
                "Hello, world",b,train
                "say ""hi""\nagain\r\nand again",a,train

                ,a,train
                "naïve café, ok",b,test
                """.utf8), to: "c.csv")
        let data = try TextDataset.load(Self.spec(file, length: 4))
        #expect(data.classNames == ["a", "b"])
        #expect(data.train.labels == [1, 0, 0] && data.test.labels == [1])
        // Counts: again 2, then hello, hi, say, world, and (1 each; ties by bytes, descending).
        #expect(data.vocabulary == ["", "[UNK]", "again", "world", "say", "hi", "hello", "and"])
        #expect(Self.ids(data.train) == [[6, 3, 0, 0], [4, 5, 2, 7], [0, 0, 0, 0]])
        #expect(Self.ids(data.test) == [[1, 1, 1, 0]])
        let table = try CSVTable(bytes: Array("a,b\n\"x\ny\",2\n3,\n".utf8), delimiter: 0x2C, path: "t.csv")
        #expect(
            table.rows.map(\.line) == [2, 4]
                && table.rows.map(\.fields) == [[[0x78, 0x0A, 0x79], [0x32]], [[0x33], []]])
    }

    /// Classes are sorted by code point, as Python sorts folder names: "A" < "a" < "b" < "é"; hidden folders and
    /// files that do not end in .txt are no documents.
    @Test func classesAreSortedFolderNames() throws {
        let directory = try TempDirectory()
        for part in ["train", "test"] {
            for name in ["b", "é", "a", "A"] {
                _ = try directory.write(Array("\(name) doc".utf8), to: "\(part)/\(name)/1.txt")
            }
            _ = try directory.write(Array("hidden".utf8), to: "\(part)/.git/1.txt")
            _ = try directory.write([0xFF], to: "\(part)/a/binary.bin")
            _ = try directory.write(Array("top".utf8), to: "\(part)/README.txt")
        }
        let data = try TextDataset.load(Self.spec(directory.path, length: 2))
        #expect(data.classNames == ["A", "a", "b", "é"] && data.train.labels == [0, 1, 2, 3])
        #expect(data.sources.count == 8 && !data.sources.contains { $0.contains(".git") || $0.hasSuffix(".bin") })
        // "doc" 4 times, "a" twice ("A" lowercased), then "é" and "b" by bytes, descending.
        #expect(data.vocabulary == ["", "[UNK]", "doc", "a", "é", "b"])
        #expect(Self.ids(data.train) == [[3, 2], [3, 2], [5, 2], [4, 2]])
    }

    @Test func anEmptyDocumentIsAllPadding() throws {
        let directory = try TempDirectory()
        _ = try directory.write([], to: "train/x/empty.txt")
        _ = try directory.write(Array("!!!...".utf8), to: "train/x/punctuation.txt")
        _ = try directory.write(Array("words here".utf8), to: "train/y/1.txt")
        _ = try directory.write([], to: "test/x/1.txt")
        _ = try directory.write(Array("here".utf8), to: "test/y/1.txt")
        let data = try TextDataset.load(Self.spec(directory.path, length: 3, tokens: .characters))
        #expect(Self.ids(data.train)[0] == [0, 0, 0] && Self.ids(data.train)[1] == [0, 0, 0])
        #expect(Self.ids(data.test)[0] == [0, 0, 0])
    }

    @Test func vocabularySizeCapsTheVocabularyAsMaxTokens() throws {
        let directory = try TempDirectory()
        let file = try directory.write(
            Array("text,label,split\na a a b b c,x,train\nc d,y,train\na b c d e,x,test\n".utf8), to: "c.csv")
        let capped = try TextDataset.load(Self.spec(file, length: 5, maxTokens: 4))
        #expect(capped.vocabulary == ["", "[UNK]", "a", "c"])
        #expect(Self.ids(capped.test) == [[2, 1, 3, 1, 1]])
        let all = try TextDataset.load(Self.spec(file, length: 5))
        #expect(all.vocabulary == ["", "[UNK]", "a", "c", "b", "d"])
    }

    // MARK: Refusals

    /// Loads `spec` expecting `.badFile` at `path` and `line` whose reason contains `phrase`.
    static func expectBadFile(
        _ spec: DatasetSpec, path: String, line: Int?, _ phrase: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = #expect(throws: DataError.self, sourceLocation: sourceLocation) { try TextDataset.load(spec) }
        guard case .badFile(let actualPath, let actualLine, let reason) = error else {
            Issue.record("expected badFile, got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
        #expect(actualPath == path && actualLine == line, "\(reason)", sourceLocation: sourceLocation)
        #expect(reason.contains(phrase), "\(reason)", sourceLocation: sourceLocation)
    }

    /// A folder corpus of two classes with one document each; `extra` adds or replaces files.
    static func folder(_ extra: [String: [UInt8]] = [:]) throws -> TempDirectory {
        let directory = try TempDirectory()
        var files = [
            "train/a/1.txt": "one two", "train/b/1.txt": "three", "test/a/1.txt": "two", "test/b/1.txt": "four",
        ]
        .mapValues { Array($0.utf8) }
        files.merge(extra) { $1 }
        for (name, bytes) in files { _ = try directory.write(bytes, to: name) }
        return directory
    }

    @Test func invalidUTF8IsRefusedWithLineAndOffset() throws {
        let directory = try Self.folder(["train/b/2.txt": Array("fine\nstill fine\nbad ".utf8) + [0xC3, 0x28]])
        Self.expectBadFile(
            Self.spec(directory.path), path: directory.path + "/train/b/2.txt", line: 3, "byte 0xC3 at byte offset 20")
        let csv = try directory.write(Array("text,label,split\nok,a,train\n".utf8) + [0xED, 0xA0, 0x80], to: "c.csv")
        Self.expectBadFile(Self.spec(csv), path: csv, line: 3, "offset 28")
    }

    @Test func folderLayoutRefusals() throws {
        let empty = try Self.folder()
        try FileManager.default.createDirectory(atPath: empty.path + "/train/c", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: empty.path + "/test/c", withIntermediateDirectories: true)
        _ = try empty.write(Array("not a document".utf8), to: "train/c/notes.md")
        Self.expectBadFile(Self.spec(empty.path), path: empty.path + "/train/c", line: nil, "holds no .txt file")

        let extraTest = try Self.folder(["test/z/1.txt": Array("x".utf8)])
        Self.expectBadFile(
            Self.spec(extraTest.path), path: extraTest.path + "/test/z", line: nil, "that train/ does not have")

        let missingTest = try Self.folder(["train/c/1.txt": Array("x".utf8)])
        Self.expectBadFile(
            Self.spec(missingTest.path), path: missingTest.path + "/test", line: nil, "no folder for the class 'c'")

        let noClasses = try TempDirectory()
        _ = try noClasses.write(Array("x".utf8), to: "train/loose.txt")
        _ = try noClasses.write(Array("x".utf8), to: "test/loose.txt")
        Self.expectBadFile(Self.spec(noClasses.path), path: noClasses.path + "/train", line: nil, "no class folders")

        let noTokens = try Self.folder(["train/a/1.txt": Array("!!!".utf8), "train/b/1.txt": Array(" \t\n".utf8)])
        Self.expectBadFile(
            Self.spec(noTokens.path), path: noTokens.path, line: nil, "no training document holds a word")

        let neither = try TempDirectory()
        _ = try neither.write(Array("x".utf8), to: "readme.txt")
        Self.expectBadFile(Self.spec(neither.path), path: neither.path, line: nil, "neither train/ and test/")
        Self.expectBadFile(
            Self.spec(neither.path + "/readme.txt"), path: neither.path + "/readme.txt", line: nil, "not a .csv")
        #expect(throws: DataError.unreadableFile(path: neither.path + "/gone", reason: "no such file or folder")) {
            try TextDataset.load(Self.spec(neither.path + "/gone"))
        }
    }

    @Test func csvRefusalsNameTheLine() throws {
        let directory = try TempDirectory()
        func check(_ text: String, line: Int?, _ phrase: String, sourceLocation: SourceLocation = #_sourceLocation)
            throws
        {
            let file = try directory.write(Array(text.utf8), to: "c.csv")
            Self.expectBadFile(Self.spec(file), path: file, line: line, phrase, sourceLocation: sourceLocation)
        }
        let header = "text,label,split\n"
        try check(header + "a,x,train\nb,x\nc,x,test\n", line: 3, "has 2 field(s) but the header has 3")
        try check(header + "a,x,train\nb,x,test,extra\n", line: 3, "an extra field")
        // A delimiter that ends the file opens one empty field, as Python's csv reads it: 4 fields here, not 5.
        try check(header + "a,x,train\nb,x,test,", line: 3, "has 4 field(s) but the header has 3")
        try check(header + "a,x,train\n\"b,\nc,x,test\n", line: 3, "never ends")
        try check(header + "\"a\"b,x,train\n", line: 2, "text follows the closing quote")
        try check("body,label,split\na,x,train\n", line: 1, "no 'text' column (it has: body, label, split)")
        try check("text,class,split\na,x,train\n", line: 1, "no 'label' column")
        try check("text,label\na,x\n", line: 1, "no 'split' column")
        try check("text,label,text,split\na,x,b,train\n", line: 1, "names the column 'text' 2 times")
        try check(header + "a,x,train\nb,x,dev\n", line: 3, "split is 'dev'")
        try check(header + "a,x,train\nb,,test\n", line: 3, "the label is empty")
        try check(
            header + "a,x,train\n\"b\nb\",x,train\nc,y,test\n", line: 5, "'y' is not among the training labels (x)")
        try check(header, line: nil, "no train rows")
        try check(header + "a,x,train\n", line: nil, "no test rows")
        try check("", line: nil, "is empty")

        let pair = try TempDirectory()
        _ = try pair.write(Array("text,label\na,x\n".utf8), to: "train.csv")
        Self.expectBadFile(Self.spec(pair.path), path: pair.path, line: nil, "nor test.csv")
        let test = try pair.write(Array("text,label\n".utf8), to: "test.csv")
        Self.expectBadFile(Self.spec(pair.path), path: test, line: nil, "has no rows")
        _ = try pair.write(Array("text,label\na,x\n".utf8), to: "test.tsv")
        Self.expectBadFile(Self.spec(pair.path), path: pair.path, line: nil, "both test.csv and test.tsv")
    }

    @Test func specValuesTextCannotUseAreRefused() throws {
        let directory = try Self.folder()
        for (spec, field) in [
            (Self.spec(directory.path, maxTokens: 2), "vocabulary_size"),
            (Self.spec(directory.path, maxTokens: InputKind.maximumVocabulary + 1), "vocabulary_size"),
            (Self.spec(directory.path, length: 0), "sequence_length"),
            (Self.spec(directory.path, length: Int.max / 2), "sequence_length"),
        ] {
            let error = #expect(throws: DataError.self) { try TextDataset.load(spec) }
            guard case .invalidSpec(let actual, _) = error else {
                Issue.record("\(field): \(String(describing: error))")
                continue
            }
            #expect(actual == field)
        }
    }

    // MARK: Mutations

    /// `count` deterministic mutations of `bytes`: bytes flipped, inserted (CSV and UTF-8 specials), deleted,
    /// duplicated, or the end cut off.
    static func mutations(of bytes: [UInt8], count: Int, seed: UInt64) -> [[UInt8]] {
        var random = RandomSource(seed: seed)
        let specials: [UInt8] = [0x22, 0x2C, 0x0A, 0x0D, 0x09, 0x20, 0x00, 0x80, 0xBF, 0xC3, 0xE2, 0xED, 0xF0, 0xFF]
        return (0..<count).map { _ in
            var out = bytes
            for _ in 0...random.nextInt(below: 4) {
                let at = random.nextInt(below: out.count + 1)
                switch random.nextInt(below: 5) {
                case 0 where at < out.count: out[at] ^= UInt8(1 << random.nextInt(below: 8))
                case 1: out.insert(specials[random.nextInt(below: specials.count)], at: at)
                case 2 where at < out.count: out.remove(at: at)
                case 3:
                    let end = min(out.count, at + random.nextInt(below: 16))
                    out.insert(contentsOf: out[at..<end], at: at)
                default: out.removeLast(random.nextInt(below: min(out.count, 8) + 1))
                }
            }
            return out
        }
    }

    /// Every mutation loads or throws a `DataError`, as words and as characters, capped or not: never a trap.
    @Test func mutatedCSVAndDocumentsNeverTrap() throws {
        let csv = Array(
            """
            text,label,split
            "Hello, ""world""\nagain",pos,train
            naïve café 😀,neg,train
            plain,neg,Test
            "x
            y",pos,test

            """.utf8)
        let directory = try Self.folder()
        let file = directory.path + "/c.csv"
        var outcomes = [0, 0]
        for mutated in Self.mutations(of: csv, count: 300, seed: 11) {
            try Data(mutated).write(to: URL(fileURLWithPath: file))
            for tokens in Tokenization.allCases {
                do {
                    _ = try TextDataset.load(Self.spec(file, length: 4, maxTokens: 5, tokens: tokens))
                    outcomes[0] += 1
                } catch { outcomes[1] += 1 }
            }
        }
        #expect(outcomes[0] > 0 && outcomes[1] > 0, "\(outcomes)")
        let document = Array("Un «document», naïve!\n\tWith ÜNICODE 😀 and \"quotes\".".utf8)
        outcomes = [0, 0]
        for mutated in Self.mutations(of: document, count: 300, seed: 12) {
            try Data(mutated).write(to: URL(fileURLWithPath: directory.path + "/test/b/1.txt"))
            for tokens in Tokenization.allCases {
                do {
                    let data = try TextDataset.load(Self.spec(directory.path, length: 6, tokens: tokens))
                    #expect(data.test.count == 2)
                    outcomes[0] += 1
                } catch { outcomes[1] += 1 }
            }
        }
        #expect(outcomes[0] > 0 && outcomes[1] > 0, "\(outcomes)")
    }
}
