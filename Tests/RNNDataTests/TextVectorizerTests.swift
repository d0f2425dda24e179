import Foundation
import RNNCore
import Testing

@testable import RNNData

/// `TextVectorizer` against Keras 3's `TextVectorization`: the generated reference ids of the fixture corpus
/// (`Scripts/reference/text_vectorization_reference.py`), the probes that pin each rule, and small cases from the
/// experiments behind them.
@Suite struct TextVectorizerTests {
    typealias Reference = TextVectorizationReference

    /// Tokens and vocabularies compare as bytes: `String`'s `==` would call "é" and "e\u{301}" equal.
    static func bytes(_ strings: [String]) -> [[UInt8]] { strings.map { Array($0.utf8) } }

    /// The fixture corpus folder in the test bundle.
    static func fixtureFolder() throws -> URL {
        try #require(Bundle.module.url(forResource: "text", withExtension: nil, subdirectory: "Fixtures"))
    }

    static func fixtureTexts(_ files: [String]) throws -> [[UInt8]] {
        let folder = try fixtureFolder()
        return try files.map { try [UInt8](Data(contentsOf: folder.appendingPathComponent($0))) }
    }

    static func tokenization(_ split: String) -> Tokenization { split == "character" ? .characters : .words }

    @Test func everyFixtureDocumentGetsKerassIDs() throws {
        let train = try Self.fixtureTexts(Reference.trainFiles)
        let test = try Self.fixtureTexts(Reference.testFiles)
        #expect(Reference.cases.count == 12)
        for reference in Reference.cases {
            let name =
                "\(reference.split), max_tokens \(reference.maxTokens.map(String.init) ?? "None"), "
                + "length \(reference.length)"
            let vectorizer = TextVectorizer.fit(
                train, tokenization: Self.tokenization(reference.split), maxTokens: reference.maxTokens)
            #expect(vectorizer.tokens == Self.bytes(reference.vocabulary), "\(name): vocabulary")
            for (texts, expected, part) in [(train, reference.train, "train"), (test, reference.test, "test")] {
                for (i, text) in texts.enumerated() {
                    #expect(
                        vectorizer.ids(text, length: reference.length) == expected[i],
                        "\(name): \(part) document \(i)")
                }
            }
        }
    }

    @Test func probesSplitAsKerasDoes() {
        #expect(Reference.probes.count >= 10)
        for probe in Reference.probes {
            #expect(
                Self.bytes(TextVectorizer.tokens(of: probe.text, .words)) == Self.bytes(probe.words),
                "words of \(probe.text.debugDescription)")
            #expect(
                Self.bytes(TextVectorizer.tokens(of: probe.text, .characters)) == Self.bytes(probe.characters),
                "characters of \(probe.text.debugDescription)")
        }
    }

    /// Keras: ['', '[UNK]', 'é', 'y', 'x', 'é' (e + U+0301), 'b', 'zz', 'c', 'ab', 'aa', 'a'] — by count, then by
    /// bytes, both descending; precomposed and decomposed é are two tokens.
    @Test func tiesGoToTheLargerBytesFirst() {
        let vectorizer = TextVectorizer.fit(
            ["b a c", "zz \u{E9} e\u{301} \u{E9} e\u{301} aa ab B", "x x y y"], tokenization: .words)
        let expected = ["", "[UNK]", "\u{E9}", "y", "x", "e\u{301}", "b", "zz", "c", "ab", "aa", "a"]
        #expect(vectorizer.tokens == Self.bytes(expected))
        #expect(vectorizer.vocabulary.count == 12)
    }

    /// Keras, max_tokens=5, output_sequence_length=3: vocabulary ['', '[UNK]', 'y', 'x', 'zz'] and ids
    /// [[3, 2, 1], [0, 0, 0], [2, 0, 0]]: the first T ids kept, zeros after, unknown tokens 1.
    @Test func truncatesAtTheEndAndPadsAfter() {
        let vectorizer = TextVectorizer.fit(["b a c", "zz aa ab", "x x y y"], tokenization: .words, maxTokens: 5)
        #expect(vectorizer.vocabulary == ["", "[UNK]", "y", "x", "zz"])
        #expect(vectorizer.ids("x y q zz b", length: 3) == [3, 2, 1])
        #expect(vectorizer.ids("", length: 3) == [0, 0, 0])
        #expect(vectorizer.ids("y", length: 3) == [2, 0, 0])
        #expect(vectorizer.ids("y x", length: 0) == [])
    }

    /// Keras, split="character": vocabulary ['', '[UNK]', ' ', '\n', 'd', 'c', 'b', 'a', '\t'], and
    /// "ab  c\td!" → [7, 6, 2, 2, 5, 8, 4, 0, …]: spaces and tabs are tokens, "!" is stripped first.
    @Test func charactersKeepSpacesAsTokens() {
        let vectorizer = TextVectorizer.fit(["Ab  c\td!", "\n\n"], tokenization: .characters)
        #expect(vectorizer.vocabulary == ["", "[UNK]", " ", "\n", "d", "c", "b", "a", "\t"])
        #expect(vectorizer.ids("ab  c\td!", length: 12) == [7, 6, 2, 2, 5, 8, 4, 0, 0, 0, 0, 0])
    }

    /// "[UNK]" in a text is standardised to "unk", an ordinary token (Keras: ['', '[UNK]', 'unk']).
    @Test func theOOVTokenInATextIsAnOrdinaryWord() {
        let vectorizer = TextVectorizer.fit(["[UNK] unk [unk]"], tokenization: .words)
        #expect(vectorizer.vocabulary == ["", "[UNK]", "unk"])
        #expect(vectorizer.ids("[UNK]", length: 1) == [2])
    }

    @Test func standardisationIsASCIIOnly() {
        let text = "ÀÉÎ ΣΑΣ İ ＡＢＣ ABC a-b_c 'q' «r» “s” …"
        let standardized = String(decoding: TextVectorizer.standardize(Array(text.utf8)), as: UTF8.self)
        #expect(standardized.utf8.elementsEqual("ÀÉÎ ΣΑΣ İ ＡＢＣ abc abc q «r» “s” …".utf8))
        for byte in UInt8(0x21)...0x7E {
            let isLetterOrDigit =
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte)
                || (0x61...0x7A).contains(byte)
            #expect(TextVectorizer.isPunctuation(byte) == !isLetterOrDigit, "byte \(byte)")
        }
        #expect((0...255).filter { TextVectorizer.isWhitespace(UInt8($0)) } == [9, 10, 11, 12, 13, 32])
    }

    /// Bytes that are not UTF-8 (the loader refuses them) still give ids, never a trap.
    @Test func brokenUTF8NeverTraps() {
        let texts: [[UInt8]] = [[0xFF, 0x41, 0xC3], [0xF0, 0x9F], [0xE2, 0x80, 0x20, 0x80], [0xC3]]
        for tokenization in Tokenization.allCases {
            let vectorizer = TextVectorizer.fit(texts, tokenization: tokenization, maxTokens: 4)
            #expect(vectorizer.tokens.count <= 4)
            for text in texts { #expect(vectorizer.ids(text, length: 5).count == 5) }
        }
    }

    @Test func utf8CheckFindsTheFirstBadSequence() {
        let cases: [([UInt8], Int?)] = [
            (Array("plain ascii".utf8), nil),
            (Array("é 😀 直 \u{10FFFF}".utf8), nil),
            ([0x61, 0xFF], 1),
            ([0x61, 0xC0, 0x80], 1),  // overlong NUL
            ([0xE0, 0x80, 0x80], 0),  // overlong
            ([0xED, 0xA0, 0x80], 0),  // surrogate U+D800
            ([0xF4, 0x90, 0x80, 0x80], 0),  // above U+10FFFF
            ([0x61, 0x62, 0xE2, 0x82], 2),  // cut short
            ([0xC3, 0x28], 0),
            ([0xF0, 0x9F, 0x98, 0x41], 0),
        ]
        for (bytes, expected) in cases {
            #expect(TextFiles.firstInvalidUTF8(bytes) == expected, "\(bytes)")
        }
        // Agrees with the standard library's validation on random bytes biased towards UTF-8's lead bytes.
        var random = RandomSource(seed: 7)
        let alphabet: [UInt8] = [
            0x41, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4,
            0xF5, 0xFF,
        ]
        for _ in 0..<3000 {
            let bytes = (0..<random.nextInt(below: 6)).map { _ in alphabet[random.nextInt(below: alphabet.count)] }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            #expect((TextFiles.firstInvalidUTF8(bytes) == nil) == valid, "\(bytes)")
        }
    }
}
