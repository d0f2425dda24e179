import Foundation
import RNNCore
import Testing

@testable import RNNData

/// `.ts` files of the UCR/UEA archive (`TSDataset`, `TSFile`): small files written here, by aeon's rules.
@Suite struct TSDatasetTests {
    /// A classification header: two dimensions of variable length, labels a, b, c.
    static let multivariateHeader = """
        @problemName Tiny
        @timeStamps false
        @missing false
        @univariate false
        @dimensions 2
        @equalLength false
        @classLabel true a b c
        @data

        """

    /// Writes `<name>_TRAIN.ts` and `<name>_TEST.ts` into `directory`; returns the `<name>` prefix.
    @discardableResult
    static func write(_ train: String, _ test: String, into directory: TempDirectory, name: String = "Tiny") throws
        -> String
    {
        _ = try directory.write(Array(train.utf8), to: "\(name)_TRAIN.ts")
        _ = try directory.write(Array(test.utf8), to: "\(name)_TEST.ts")
        return directory.path + "/" + name
    }

    static func spec(
        _ path: String, task: Task = .classification, missing: MissingValues = .none,
        normalize: Normalization = .none
    ) -> DatasetSpec {
        DatasetSpec(name: "ts", dataDir: path, task: task, missing: missing, normalize: normalize)
    }

    func load(
        _ train: String, _ test: String, task: Task = .classification, missing: MissingValues = .none,
        normalize: Normalization = .none
    ) throws -> LoadedData {
        let directory = try TempDirectory()
        let prefix = try Self.write(train, test, into: directory)
        return try TSDataset.load(Self.spec(prefix, task: task, missing: missing, normalize: normalize))
    }

    /// The error loading the two files gives, and the TRAIN file's path.
    func loadError(
        _ train: String, _ test: String? = nil, task: Task = .classification, missing: MissingValues = .none
    ) throws -> (error: DataError, train: String, test: String) {
        let directory = try TempDirectory()
        let prefix = try Self.write(train, test ?? train, into: directory)
        let error = #expect(throws: DataError.self) {
            try TSDataset.load(Self.spec(prefix, task: task, missing: missing))
        }
        return (try #require(error), prefix + "_TRAIN.ts", prefix + "_TEST.ts")
    }

    static func floats(_ set: SequenceSet) -> [Float] {
        guard case .floats(let values) = set.storage else { return [] }
        return values
    }

    // MARK: Reading

    @Test func aUnivariateEqualLengthFileLoadsWithLabelsInHeaderOrder() throws {
        let header = """
            # The labels are listed out of alphabetical order: their order is the class order.
            @problemName Uni
            @univariate true
            @equalLength true
            @seriesLength 3
            @classLabel true up down flat
            @data

            """
        let data = try load(
            header + "1,2,3:down\n4.5,-5,6e1:up\n7,8,9:flat\n", header + "0.25,0.5,0.75:flat\n")
        #expect(data.classes == 3)
        #expect(data.classNames == ["up", "down", "flat"])
        #expect(data.train.timesteps == 3 && data.train.features == 1 && data.train.count == 3)
        #expect(data.train.labels == [1, 0, 2])
        #expect(Self.floats(data.train) == [1, 2, 3, 4.5, -5, 60, 7, 8, 9])
        #expect(data.test.labels == [2])
        #expect(Self.floats(data.test) == [0.25, 0.5, 0.75])
        #expect(data.validation == nil)
    }

    @Test func multivariateVariableLengthSeriesArePostPaddedToTheLongestOfBothFiles() throws {
        let train = Self.multivariateHeader + "1,2:10,20:a\n3,4,5,6:30,40,50,60:c\n7:70:b\n"
        let test = Self.multivariateHeader + "1,2,3,4,5:6,7,8,9,10:b\n"
        let data = try load(train, test)
        // T = 5, the TEST file's longest; steps hold both dimensions, [N, T, D] row-major.
        #expect(data.train.timesteps == 5 && data.train.features == 2 && data.test.timesteps == 5)
        #expect(
            Self.floats(data.train) == [
                1, 10, 2, 20, 0, 0, 0, 0, 0, 0,
                3, 30, 4, 40, 5, 50, 6, 60, 0, 0,
                7, 70, 0, 0, 0, 0, 0, 0, 0, 0,
            ])
        #expect(data.train.labels == [0, 2, 1])
        #expect(data.train.realSteps() == [2, 4, 1])
        #expect(Self.floats(data.test) == [1, 6, 2, 7, 3, 8, 4, 9, 5, 10])
    }

    @Test func regressionTargetsAreReadAsFloats() throws {
        let header =
            "@problemname Reg\n@timestamps false\n@univariate true\n@equallength true\n@targetlabel true\n@data\n"
        let data = try load(header + "1,2:0.5\n3,4:-1.25e2\n", header + "5,6:7\n", task: .regression)
        #expect(data.classes == 0 && data.classNames == nil)
        #expect(data.train.targets == .values([0.5, -125], width: 1))
        #expect(data.test.targets == .values([7], width: 1))
        #expect(Self.floats(data.train) == [1, 2, 3, 4])
    }

    @Test func headerKeysIgnoreCaseAndCommentsBlankLinesAndLineEndingsAreSkipped() throws {
        // @dimension (singular), mixed case, CRLF endings, a byte-order mark, comments and blank lines everywhere.
        let train =
            "\u{FEFF}#comment\r\n@PROBLEMNAME x\r\n\r\n@Univariate FALSE\r\n@dimension 2\r\n@EqualLength False\r\n"
            + "# another\r\n@ClassLabel TRUE A b\r\n@Data\r\n\r\n1,2:3,4:a\r\n# a comment among the series\r\n"
            + "  5 , 6 : 7 , 8 : B  \r\n\r\n"
        let test = "@univariate false\r@dimensions 2\r@equallength false\r@classlabel true A b\r@data\r9:9:A"
        let data = try load(train, test)
        #expect(data.classNames == ["A", "b"])  // as written; data labels match without case, as in aeon
        #expect(data.train.labels == [0, 1] && data.test.labels == [0])
        #expect(Self.floats(data.train) == [1, 3, 2, 4, 5, 7, 6, 8])
        #expect(Self.floats(data.test) == [9, 9, 0, 0])
    }

    @Test func aFolderWithOnePairAndThePrefixPathReadTheSameFiles() throws {
        let directory = try TempDirectory()
        let train = Self.multivariateHeader + "1:2:a\n"
        let prefix = try Self.write(train, train, into: directory, name: "Pair")
        _ = try directory.write(Array("not a pair".utf8), to: "notes.txt")
        let expected = [prefix + "_TRAIN.ts", prefix + "_TEST.ts"]
        for path in [directory.path, prefix, prefix + "_TRAIN.ts", directory.path + "/./Pair"] {
            let data = try TSDataset.load(Self.spec(path))
            #expect(data.sources == expected, "\(path)")
            #expect(data.train.labels == [0])
        }
    }

    @Test func aFolderWithSeveralPairsOrNoneIsRefusedByName() throws {
        let directory = try TempDirectory()
        let train = Self.multivariateHeader + "1:2:a\n"
        try Self.write(train, train, into: directory, name: "One")
        try Self.write(train, train, into: directory, name: "Two")
        let several = #expect(throws: DataError.self) { try TSDataset.load(Self.spec(directory.path)) }
        #expect(
            several?.description == "dataset data_dir is \(directory.path), which holds 2 pairs of .ts files (One, "
                + "Two): give the <Name> prefix of one, e.g. \(directory.path)/One")

        let lonely = try TempDirectory()
        _ = try lonely.write(Array(train.utf8), to: "Alone_TRAIN.ts")
        let none = #expect(throws: DataError.self) { try TSDataset.load(Self.spec(lonely.path)) }
        #expect(
            none
                == .unreadableFile(
                    path: lonely.path,
                    reason: "it holds no <Name>_TRAIN.ts with its <Name>_TEST.ts (Alone_TRAIN.ts has no Alone_TEST.ts)")
        )
        let missing = #expect(throws: DataError.self) { try TSDataset.load(Self.spec(lonely.path + "/Alone")) }
        guard case .unreadableFile(let path, _)? = missing else {
            Issue.record("expected an unreadable file, got \(String(describing: missing))")
            return
        }
        #expect(path == lonely.path + "/Alone_TEST.ts")
    }

    @Test func theTildeIsExpanded() throws {
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        let directory = try TempDirectory()
        let train = Self.multivariateHeader + "1:2:a\n"
        try Self.write(train, train, into: directory)
        // Only checks the expansion: ~/<relative path to the temp folder> when the temp folder is under $HOME.
        guard directory.path.hasPrefix(home + "/") else { return }
        let relative = "~" + directory.path.dropFirst(home.count) + "/Tiny"
        #expect(try TSDataset.files(relative).train == directory.path + "/Tiny_TRAIN.ts")
    }

    // MARK: Missing values and normalization

    @Test func aMissingValueIsRefusedWithFileLineDimensionAndPosition() throws {
        let train = Self.multivariateHeader + "1,2:3,4:a\n1,2,3:4,5,?:b\n"
        let (error, path, _) = try loadError(train)
        #expect(
            error.description
                == "\(path):10: dimension 2 has a missing value (?) at position 3; set missing: zero to read it as 0")
        let nan = try loadError(Self.multivariateHeader + "NaN:1:a\n").error
        #expect(
            nan.description.hasSuffix(
                ":9: dimension 1 has a missing value (NaN) at position 1; set missing: zero to read it as 0"))
    }

    @Test func missingZeroWritesZeros() throws {
        let train = Self.multivariateHeader + "1,?:nan,4:a\n?:?:b\n"
        let data = try load(train, Self.multivariateHeader + "1:2:c\n", missing: .zero)
        #expect(Self.floats(data.train) == [1, 0, 0, 4, 0, 0, 0, 0])
        // A step whose every value is missing reads as padding under mask: zeros.
        #expect(data.train.realSteps() == [2, 0])
    }

    @Test func channelNormalizationUsesTheRealTrainingValues() throws {
        // Dimension 1 over the real TRAIN steps: 1, 3, 5, 7 → mean 4, population deviation √5.
        // Dimension 2: 10, 10, 10, 10 (the missing value left out) → mean 10, deviation 0: only centred.
        let train = Self.multivariateHeader + "1,3,5:10,10,?:a\n7:10:b\n"
        let test = Self.multivariateHeader + "4,9:12,10:c\n"
        let data = try load(train, test, missing: .zero, normalize: .channel)
        // Computed in Double, then rounded once to Float.
        func z(_ x: Double) -> Float { Float((x - 4) / 5.0.squareRoot()) }
        #expect(data.train.timesteps == 3)
        #expect(Self.floats(data.train) == [z(1), 0, z(3), 0, z(5), 0, z(7), 0, 0, 0, 0, 0])
        #expect(Self.floats(data.test) == [z(4), 2, z(9), 0, 0, 0])
    }

    // MARK: Refused files

    @Test func malformedSeriesAreRefusedWithFileAndLine() throws {
        let h = Self.multivariateHeader  // 8 lines; the first series is line 9
        let cases: [(String, String)] = [
            (h + "1:2:a\n1:2:3:b\n", "10: has 3 dimensions but the header says @dimensions 2"),
            (h + "1:2:d\n", "9: label 'd' is not one of the header's @classLabel labels (a b c)"),
            (h + "1:2:a\n1,x2:3,4:a\n", "10: dimension 1 has 'x2' at position 2, which is not a number"),
            (h + "1,,3:1,2,3:a\n", "9: dimension 1 has no value at position 2 (two commas in a row?)"),
            (h + "1::a\n", "9: dimension 2 is empty; every dimension needs at least one value"),
            (
                h + "1,2\n",
                "9: has no ':' before its label; a series is v,v,…:v,v,…:…:label (dimensions separated by ':')"
            ),
            (h + "1:2:\n", "9: has no label after its last ':'"),
            (h + "1:1e39:a\n", "9: dimension 2 has '1e39' at position 1, which is beyond the range of a 32-bit float"),
            (
                h + "1,2,3:4,5:a\n",
                "9: dimension 2 has 2 values but dimension 1 has 3; every dimension of a series needs the same number "
                    + "of values, as in aeon"
            ),
            (
                h + "1,2:4,5,6:a\n",
                "9: dimension 2 has more values than dimension 1 (2); every dimension of a series needs the same "
                    + "number of values, as in aeon"
            ),
            (h + "inf:1:a\n", "9: dimension 1 has 'inf' at position 1, which is not a number"),
        ]
        for (train, message) in cases {
            let (error, path, _) = try loadError(train)
            #expect(error.description == "\(path):\(message)")
        }
    }

    @Test func headersThatCannotBeReadAreRefusedWithFileAndLine() throws {
        let cases: [(String, String)] = [
            (
                "@timeStamps true\n@classLabel true a\n@data\n1:a\n",
                "1: time stamps (@timeStamps true) are not supported"
            ),
            ("@classLabel true a\n1:a\n", "2: '1:a' comes before @data but is neither a header line"),
            ("@missing 42\n@data\n", "1: @missing takes one value, true or false (found 42)"),
            ("@missing 42, @classlabel True\n", "1: @missing takes one value, true or false (found 3 values)"),
            ("@classLabel true a\n@data 55\n", "2: @data takes no value"),
            ("@classLabel true\n", "1: @classLabel true must list the labels"),
            ("@classLabel maybe a\n", "1: @classLabel takes true followed by the labels, or false"),
            ("@classLabel true a b A\n", "1: @classLabel lists 'A' twice (as label 1 and 3"),
            ("@dimensions 99999999999\n", "1: @dimensions takes one whole number from 1 to the 24 bytes of the file"),
            ("@seriesLength 0\n", "1: @seriesLength takes one whole number from 1"),
            ("@classLabel false\n@data\n1:2\n", "1: the file has no labels (@classLabel false)"),
            ("@problemName x\n@data\n1:a\n", "2: the header has no @classLabel line"),
            (
                "@classLabel true a\n@data\n1:a\n1:2:a\n",
                "4: has 2 dimensions but the header says the series are univariate"
            ),
            (
                "@classLabel true a\n@data\n1,2:a\n1:a\n",
                "4: has 1 value per dimension but the first series (line 3) has 2, and the series are of equal length"
            ),
            (
                "@classLabel true a\n@equalLength true\n@seriesLength 3\n@data\n1,2:a\n",
                "5: has 2 values per dimension but the header says @seriesLength 3"
            ),
            (
                "@univariate false\n@classLabel true a\n@data\n1:2:a\n1:a\n",
                "5: has 1 dimension but the first series (line 4) has 2; every series needs the same number"
            ),
        ]
        for (train, message) in cases {
            let (error, path, _) = try loadError(train)
            #expect(error.description.hasPrefix("\(path):\(message)"), "\(error)")
        }
        let noData = try loadError("@classLabel true a\n")
        #expect(
            noData.error
                == .badFile(
                    path: noData.train, line: nil,
                    reason: "has no @data line: the header must end with @data, followed by the series"))
        let empty = try loadError("@classLabel true a\n@data\n\n# nothing\n")
        #expect(empty.error == .emptySplit(path: empty.train, member: nil))
    }

    @Test func aFileForTheOtherTaskSaysWhichTaskItIsFor() throws {
        let classes = try loadError("# c\n\n@classLabel true a b\n@data\n1:a\n", task: .regression)
        #expect(
            classes.error.description
                == "\(classes.train):3: the file has class labels (@classLabel); set task: classification")
        let targets = try loadError("@targetLabel true\n@data\n1:2.5\n")
        #expect(
            targets.error.description
                == "\(targets.train):1: the file has regression targets (@targetLabel true); set task: regression")
        let missingTarget = try loadError("@targetLabel true\n@data\n1:?\n", task: .regression, missing: .zero)
        #expect(
            missingTarget.error.description.hasSuffix(
                ":3: the target is missing ('?'); every series needs a finite target"))
        let noTarget = try loadError("@classLabel true a\n@data\n1:a\n", "@data\n", task: .regression)
        #expect(noTarget.error.description.hasPrefix("\(noTarget.train):1: the file has class labels"))
    }

    @Test func theTestFileMustListTheSameLabelsAndDimensions() throws {
        let h = Self.multivariateHeader
        let other = h.replacingOccurrences(of: "a b c", with: "a c b")
        let labels = try loadError(h + "1:2:a\n", other + "1:2:a\n")
        #expect(
            labels.error.description
                == "\(labels.test):7: @classLabel lists a c b but \(labels.train) lists a b c; the two files must list "
                + "the same labels in the same order")
        let one = h.replacingOccurrences(of: "@dimensions 2", with: "@dimensions 1")
        let dimensions = try loadError(h + "1:2:a\n", one + "\n# a gap\n1:a\n")
        #expect(
            dimensions.error.description
                == "\(dimensions.test):11: the series have 1 dimension but those of \(dimensions.train) have 2")
    }

    @Test func invalidUTF8IsRefusedWithItsLine() throws {
        let directory = try TempDirectory()
        let good = Array((Self.multivariateHeader + "1:2:a\n").utf8)
        // A comment line with "é" written as Latin-1 (0xE9 alone); UTF-8 "é" elsewhere is fine.
        let bad = Array("#caf".utf8) + [0xE9] + Array("\n".utf8) + good
        let train = try directory.write(bad, to: "Bad_TRAIN.ts")
        _ = try directory.write(Array("#café\n".utf8) + good, to: "Bad_TEST.ts")
        let error = #expect(throws: DataError.self) { try TSDataset.load(Self.spec(directory.path)) }
        #expect(error == .badFile(path: train, line: 1, reason: "is not UTF-8 text; save the file as UTF-8"))
    }

    @Test func paddingFarBeyondTheValuesReadIsRefusedBeforeItIsAllocated() throws {
        let header = "@equalLength false\n@classLabel true a\n@data\n"
        let long = Array(repeating: "1", count: 40_000).joined(separator: ",") + ":a\n"
        let train = header + long + String(repeating: "1:a\n", count: 2_000)
        let (error, path, _) = try loadError(train, header + "1:a\n")
        #expect(
            error
                == .badFile(
                    path: path, line: nil,
                    reason:
                        "padding every series to the longest (40000 steps) would take 2002 × 40000 × 1 values, more "
                        + "than 64 times the 42001 values in the files; cut the longest series or split the data by "
                        + "length"))
    }

    // MARK: Numbers

    @Test func numbersReadAsPythonFloatThenRoundToFloat() {
        let cases = [
            "0", "-0", "1.", ".5", "+2.5", "1e5", "1E-5", "-1.25e+2", "0.000123", "123456789012345678901234",
            "0.1", "3.4028235e38", "1.17549435e-38", "1e-50", "9007199254740993", "2.2250738585072014e-308",
            "000123.4500", "1.860936", "-0.207383",
        ]
        for text in cases {
            let bytes = Array(text.utf8)
            #expect(TSNumber.parse(bytes, 0..<bytes.count) == .number(Double(text)!), "\(text)")
        }
        for text in ["", "-", ".", "e5", "1e", "1e+", "1.2.3", "0x10", "inf", "1_000", "1 2", "--1", "1e5.0"] {
            let bytes = Array(text.utf8)
            #expect(TSNumber.parse(bytes, 0..<bytes.count) == .invalid, "\(text)")
        }
        for text in ["?", "NaN", "nan", "NAN"] {
            let bytes = Array(text.utf8)
            #expect(TSNumber.parse(bytes, 0..<bytes.count) == .missing, "\(text)")
        }
    }

    // MARK: Real files and hostile bytes

    static let japaneseVowels = "/work/data/ts/JapaneseVowels"

    @Test(.enabled(if: FileManager.default.fileExists(atPath: japaneseVowels + "/JapaneseVowels_TRAIN.ts")))
    func japaneseVowelsLoadsAsAeonReadsIt() throws {
        let data = try TSDataset.load(Self.spec(Self.japaneseVowels, normalize: .channel))
        // aeon: 270 training cases of 12 channels (lengths 7 to 26), 370 test cases (up to 29), labels 1 to 9.
        #expect(data.train.count == 270 && data.test.count == 370)
        #expect(data.train.features == 12 && data.train.timesteps == 29)
        #expect(data.classes == 9 && data.classNames == (1...9).map(String.init))
        #expect(data.train.realSteps().min() == 7 && data.train.realSteps().max() == 26)
        #expect(data.test.realSteps().max() == 29)
    }

    /// The fixed TEST files of `Fuzz/Sources/FuzzTS`, one per task, beside which a fuzz input is the TRAIN file.
    static let fuzzTests: [(Task, String)] = [
        (
            .classification,
            "@problemName X\n@univariate false\n@dimensions 2\n@equalLength false\n"
                + "@classLabel true 1 2 3 4 5 6 7 8 9\n@data\n1.5,2:-3,4e-1:2\n7:?:9\n"
        ),
        (
            .regression,
            "@problemName X\n@univariate true\n@equalLength false\n@targetLabel true\n@data\n1,2,3:0.5\n4:-1e3\n"
        ),
    ]

    /// `Fixtures/fuzz/ts/`: inputs found by `Scripts/fuzz.sh ts` (`crash-*`) or written to probe the limits
    /// (`hostile-*`), fed as `FuzzTS` feeds them; each must be a `DataError` in every setting.
    @Test func fuzzFixturesAreTypedErrors() throws {
        let files = try FuzzRegressionTests.fixtures("ts")
        #expect(files.count >= 5)
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: file))
            for (task, test) in Self.fuzzTests {
                let directory = try TempDirectory()
                _ = try directory.write(bytes, to: "X_TRAIN.ts")
                _ = try directory.write(Array(test.utf8), to: "X_TEST.ts")
                for missing in MissingValues.allCases {
                    for normalize in Normalization.allCases {
                        #expect(throws: DataError.self, "\(file.lastPathComponent), \(task), \(missing), \(normalize)")
                        {
                            try TSDataset.load(
                                Self.spec(directory.path, task: task, missing: missing, normalize: normalize))
                        }
                    }
                }
            }
        }
    }

    /// A small valid pair; the mutations below start from its TRAIN file.
    static let seedTrain = multivariateHeader + "1,2,3:4,5,6:a\n-1.5,?:2e3,NaN:b\n7:8:c\n"
    static let seedTest = multivariateHeader + "1,2:3,4:c\n"

    @Test func mutatedBytesLoadOrThrowADataErrorAndNeverTrap() throws {
        var random = RandomSource(seed: 2024)
        let directory = try TempDirectory()
        let seed = Array(Self.seedTrain.utf8)
        _ = try directory.write(Array(Self.seedTest.utf8), to: "M_TEST.ts")
        let pieces = Array("@:,?#\n\r-.e0123456789abc ".utf8) + [0x00, 0xFF, 0xC3, 0xA9]
        var loaded = 0
        for _ in 0..<300 {
            var bytes = seed
            for _ in 0...random.nextInt(below: 4) {
                let at = random.nextInt(below: bytes.count + 1)
                let byte =
                    random.nextInt(below: 2) == 0
                    ? UInt8(random.nextInt(below: 256)) : pieces[random.nextInt(below: pieces.count)]
                switch random.nextInt(below: 3) {
                case 0 where at < bytes.count: bytes[at] ^= UInt8(1 << random.nextInt(below: 8))
                case 1: bytes.insert(byte, at: at)
                default: if at < bytes.count { bytes.remove(at: at) }
                }
            }
            _ = try directory.write(bytes, to: "M_TRAIN.ts")
            for task in Task.allCases {
                for missing in MissingValues.allCases {
                    do {
                        _ = try TSDataset.load(
                            Self.spec(directory.path, task: task, missing: missing, normalize: .channel))
                        loaded += 1
                    } catch {
                        #expect(!error.description.isEmpty)
                    }
                }
            }
        }
        // The mutations are small: some files still load, so the loader's whole path runs on them.
        #expect(loaded > 0)
    }
}
