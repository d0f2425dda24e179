import Foundation
import RNNCore
import RNNData
import RNNTestSupport
import Testing

/// The npz forms of the sequence features: token ids (`input: tokens`), real targets (`task: regression`), the
/// vocabulary and `oov_id`, and both through the decoded-data cache.
@Suite struct NPZSequenceTests {
    /// Ids `[N, 4]`, post-padded with 0: example n holds ids 1 + (n + t) % 5 at its first 4 − n % 3 steps.
    static func ids(_ count: Int) -> [Int64] {
        var ids: [Int64] = []
        for n in 0..<count {
            for t in 0..<4 { ids.append(t < 4 - n % 3 ? Int64(1 + (n + t) % 5) : 0) }
        }
        return ids
    }

    static func tokenMembers(train: [Int64] = ids(6), test: [Int64] = ids(3)) -> [(String, [UInt8])] {
        [
            ("x_train", NPZWriter.npy(train, shape: [train.count / 4, 4])),
            ("y_train", NPZWriter.npy((0..<(train.count / 4)).map { Int64($0 % 2) }, shape: [train.count / 4])),
            ("x_test", NPZWriter.npy(test, shape: [test.count / 4, 4])),
            ("y_test", NPZWriter.npy((0..<(test.count / 4)).map { Int64($0 % 2) }, shape: [test.count / 4])),
        ]
    }

    func load(
        _ members: [(String, [UInt8])], input: InputKind = .tokens, task: Task = .classification,
        vocabulary: Int? = nil, cache: DecodedDataCache? = nil, path: String? = nil
    ) throws -> DatasetSplits {
        let directory = try TempDirectory()
        let file = try path ?? directory.file("data.npz")
        if !FileManager.default.fileExists(atPath: file) { try NPZWriter.npz(at: file, members, compressed: false) }
        return try DatasetLoader.load(
            DatasetSpec(name: "npz", dataDir: file, input: input, task: task, vocabularySize: vocabulary),
            environment: [:], cache: cache)
    }

    func loadError(
        _ members: [(String, [UInt8])], input: InputKind = .tokens, task: Task = .classification,
        vocabulary: Int? = nil
    ) throws -> String {
        let error = #expect(throws: DataError.self) {
            try load(members, input: input, task: task, vocabulary: vocabulary)
        }
        return try #require(error).description
    }

    @Test func tokenIDsLoadAsIntegersWithTheTrainingVocabulary() throws {
        let splits = try load(Self.tokenMembers())
        #expect(splits.train.storage == .tokens(Self.ids(6).map(Int32.init)))
        #expect(splits.timesteps == 4 && splits.features == 1)
        #expect(splits.tokenVocabulary == 6)  // the largest training id + 1
        #expect(splits.train.realSteps() == [4, 3, 2, 4, 3, 2])
        #expect(splits.train.gatherTimeMajor([1]) == [2, 3, 4, 0])
        #expect(splits.summary == "npz: 6 train / 3 test, 4 token ids (vocabulary 6), 2 classes")
    }

    @Test func uint8TokenIDsAreNeverScaled() throws {
        let ids: [UInt8] = [3, 200, 0, 0, 1, 2, 3, 4]
        let members: [(String, [UInt8])] = [
            ("x_train", NPZWriter.npy(ids, shape: [2, 4])),
            ("y_train", NPZWriter.npy([0, 1] as [Int64], shape: [2])),
            ("x_test", NPZWriter.npy(ids, shape: [2, 4])),
            ("y_test", NPZWriter.npy([1, 0] as [Int64], shape: [2])),
        ]
        let splits = try load(members)
        #expect(splits.train.gatherTimeMajor([0]) == [3, 200, 0, 0])
        #expect(splits.tokenVocabulary == 201)
    }

    @Test func floatXIsRefusedAsTokens() throws {
        let members: [(String, [UInt8])] = [
            ("x_train", NPZWriter.npy([1, 2, 3, 0] as [Float], shape: [1, 4])),
            ("y_train", NPZWriter.npy([0] as [Int64], shape: [1])),
            ("x_test", NPZWriter.npy([1, 2, 3, 0] as [Float], shape: [1, 4])),
            ("y_test", NPZWriter.npy([0] as [Int64], shape: [1])),
        ]
        let message = try loadError(members)
        #expect(message.contains("array 'x_train' has dtype '<f4', but input: tokens needs integer token ids"))
    }

    @Test func anIDOutsideTheVocabularyIsRefusedWithItsPosition() throws {
        var test = Self.ids(3)
        test[6] = 9  // example 1, step 2
        let message = try loadError(Self.tokenMembers(test: test))
        #expect(message.contains("array 'x_test' has token id 9 at example 1, step 2, outside the vocabulary 0..<6"))
        #expect(message.contains("oov_id"))
        // An explicit vocabulary smaller than the training ids is refused the same way.
        let small = try loadError(Self.tokenMembers(), vocabulary: 4)
        #expect(small.contains("array 'x_train' has token id 4 at example 0, step 3, outside the vocabulary 0..<4"))
    }

    @Test func oovIDMapsUnknownIDs() throws {
        var test = Self.ids(3)
        test[6] = 9
        let members = Self.tokenMembers(test: test) + [("oov_id", NPZWriter.npy([1] as [Int64], shape: []))]
        let splits = try load(members)
        #expect(splits.test.gatherTimeMajor([1]) == [2, 3, 1, 0])
        // With a vocabulary of 4, training ids 4 and 5 map to oov_id as well.
        let small = try load(members, vocabulary: 4)
        #expect(small.tokenVocabulary == 4)
        guard case .tokens(let trainIDs) = small.train.storage else { Issue.record("not tokens"); return }
        #expect(trainIDs.allSatisfy { $0 < 4 })
        // An oov_id outside the vocabulary itself is an error.
        let outside = Self.tokenMembers() + [("oov_id", NPZWriter.npy([7] as [Int64], shape: []))]
        #expect(try loadError(outside).contains("oov_id 7 is itself outside the vocabulary 0..<6"))
    }

    @Test func negativeIDsAreRefused() throws {
        var train = Self.ids(6)
        train[5] = -2
        #expect(try loadError(Self.tokenMembers(train: train)).contains("token id -2 at index 5"))
    }

    static func regressionMembers(y: [Float], width: Int?) -> [(String, [UInt8])] {
        let n = width.map { y.count / $0 } ?? y.count
        let shape = width.map { [n, $0] } ?? [n]
        return [
            ("x_train", NPZWriter.npy(NPZTests.x(n), shape: [n, 3, 2])),
            ("y_train", NPZWriter.npy(y, shape: shape)),
            ("x_test", NPZWriter.npy(NPZTests.x(n), shape: [n, 3, 2])),
            ("y_test", NPZWriter.npy(y.map { $0 + 1 }, shape: shape)),
        ]
    }

    @Test func regressionTargetsAreFloatsOfOneOrMoreColumns() throws {
        let single = try load(
            Self.regressionMembers(y: [0.5, -1.25, 3], width: nil), input: .values, task: .regression)
        #expect(single.train.targets == .values([0.5, -1.25, 3], width: 1))
        #expect(single.task == .regression && single.outputs == 1 && single.classes == 0)
        #expect(single.summary.hasSuffix("1 regression target"))
        let pairs = try load(
            Self.regressionMembers(y: [1, 2, 3, 4, 5, 6], width: 2), input: .values, task: .regression)
        #expect(pairs.outputs == 2)
        var out = [Float](repeating: 0, count: 4)
        [2, 0].withUnsafeBufferPointer { pairs.train.targetValues(at: $0, into: &out) }
        #expect(out == [5, 6, 1, 2])
        // Integer targets are numbers too.
        let counts: [(String, [UInt8])] = [
            ("x_train", NPZWriter.npy(NPZTests.x(2), shape: [2, 3, 2])),
            ("y_train", NPZWriter.npy([3, 7] as [Int64], shape: [2])),
            ("x_test", NPZWriter.npy(NPZTests.x(2), shape: [2, 3, 2])),
            ("y_test", NPZWriter.npy([1, 2] as [Int64], shape: [2])),
        ]
        #expect(try load(counts, input: .values, task: .regression).train.targets == .values([3, 7], width: 1))
    }

    @Test func nonFiniteTargetsAreRefused() throws {
        let message = try loadError(
            Self.regressionMembers(y: [0.5, .nan, 3], width: nil), input: .values, task: .regression)
        #expect(message.contains("array 'y_train' has nan at index 1"))
    }

    @Test func realTargetsRefusedAsClassesNameTheTask() throws {
        let members = Self.regressionMembers(y: [1, 2, 3, 4], width: 2)
        let message = try loadError(members, input: .values, task: .classification)
        #expect(message.contains("or set task: regression for real targets"))
    }

    @Test func tokensAndRegressionTargetsSurviveTheDecodedDataCache() throws {
        let directory = try TempDirectory()
        let cache = DecodedDataCache(directory: URL(fileURLWithPath: try directory.file("cache")))
        let tokenFile = try directory.file("tokens.npz")
        let members = Self.tokenMembers() + [("oov_id", NPZWriter.npy([1] as [Int64], shape: []))]
        let first = try load(members, cache: cache, path: tokenFile)
        let second = try load(members, cache: cache, path: tokenFile)
        #expect(first.train == second.train && first.test == second.test)
        #expect(second.tokenVocabulary == first.tokenVocabulary)
        let regressionFile = try directory.file("regression.npz")
        let regression = Self.regressionMembers(y: [1, 2, 3, 4, 5, 6], width: 2)
        let a = try load(regression, input: .values, task: .regression, cache: cache, path: regressionFile)
        let b = try load(regression, input: .values, task: .regression, cache: cache, path: regressionFile)
        #expect(a.train == b.train && b.outputs == 2)
        // The same file read as values is another cache entry, not the tokens' copy: integer x is refused there.
        let error = #expect(throws: DataError.self) {
            try load(members, input: .values, cache: cache, path: tokenFile)
        }
        #expect(error?.description.contains("holds integers (dtype '<i8'): for token ids set input: tokens") == true)
    }
}
