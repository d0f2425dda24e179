/// Text to token ids exactly as Keras 3's `keras.layers.TextVectorization` does with its defaults
/// (`standardize="lower_and_strip_punctuation"`, `output_mode="int"`), for `split="whitespace"` (`.words`) and
/// `split="character"` (`.characters`); `Scripts/reference/text_vectorization_reference.py` checks every rule below
/// against Keras 3.15.1 / TensorFlow 2.21.0, and the tests compare the ids id for id.
///
/// Everything works on UTF-8 bytes, never on Swift `String`s: `String` equality and ordering follow Unicode canonical
/// equivalence (`"é" == "e\u{301}"`), while TensorFlow compares bytes, so two such tokens are two tokens here too.
///
/// - Standardise: `tf.strings.lower` without an encoding lowercases ASCII `A`–`Z` only (`Ä`, `Σ`, `İ`, `Ǆ`, `Ａ` stay
///   as they are), then Keras's regex `[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']` (Python's `string.punctuation`)
///   deletes ASCII punctuation; no other punctuation (`«»`, `“”`, `—`, `…`) is touched. Both act on ASCII bytes, which
///   in UTF-8 never occur inside a multi-byte character, so byte-wise processing is exact.
/// - Split words: runs of the six ASCII whitespace bytes (space, `\t`, `\n`, `\v`, `\f`, `\r`: TensorFlow's
///   `absl::ascii_isspace`); U+00A0, U+2003, U+3000, U+0085, U+2028 and the other Unicode spaces are part of tokens.
/// - Split characters: one token per Unicode code point (not per grapheme: `e` + U+0301 is two tokens), spaces and
///   control characters included.
/// - Vocabulary (`fit`): id 0 is padding `""`, 1 is `"[UNK]"`, then the training tokens by count, descending, ties by
///   the tokens' bytes, descending (Keras's `numpy.lexsort((tokens, counts))[::-1]`); `maxTokens` keeps the first
///   `maxTokens - 2` of them (Keras's `max_tokens` counts padding and `[UNK]`).
/// - Ids (`ids`): a token outside the vocabulary is 1; the first `length` ids are kept, then zeros fill the row
///   (`output_sequence_length`: truncated at the end, padded after).
///
/// Not covered: text that is not valid UTF-8 (``TextDataset`` refuses it; here each byte of a broken sequence is
/// handled on its own and never traps, where TensorFlow would keep it in words and turn it into U+FFFD in characters);
/// Keras's other modes (custom `standardize`/`split` callables, `ngrams`, multi-hot, TF-IDF, a fixed `vocabulary`);
/// `output_sequence_length=None` (padding to the longest document of a batch); and `max_tokens=2`, which Keras accepts
/// but cannot adapt to any text with a token.
struct TextVectorizer: Sendable {
    /// The padding id (Keras's mask token `""`).
    static let paddingID: Int32 = 0
    /// The id of every token outside the vocabulary (Keras's `"[UNK]"`).
    static let unknownID: Int32 = 1
    /// The two entries every vocabulary starts with: padding and out-of-vocabulary.
    static let reservedTokens: [[UInt8]] = [[], Array("[UNK]".utf8)]

    /// How texts are split.
    let tokenization: Tokenization
    /// The token of each id as UTF-8 bytes: 0 padding `""`, 1 `"[UNK]"`, then the fitted tokens.
    let tokens: [[UInt8]]
    /// Id of each fitted token. Slices as keys so a token of a text is looked up without copying it out.
    private let index: [ArraySlice<UInt8>: Int32]

    /// A vectorizer with a given vocabulary (`tokens[0]` and `tokens[1]` are the reserved entries; ids are positions).
    init(tokenization: Tokenization, tokens: [[UInt8]]) {
        precondition(Array(tokens.prefix(2)) == Self.reservedTokens, "a vocabulary starts with \"\" and \"[UNK]\"")
        precondition(tokens.count <= Int(Int32.max), "a vocabulary holds at most Int32.max tokens")
        self.tokenization = tokenization
        self.tokens = tokens
        var index: [ArraySlice<UInt8>: Int32] = [:]
        index.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated().dropFirst(2) { index[token[...]] = Int32(id) }
        self.index = index
    }

    /// The vocabulary as strings, id by id (what Keras's `get_vocabulary()` returns).
    var vocabulary: [String] { tokens.map { String(decoding: $0, as: UTF8.self) } }

    /// Fits the vocabulary to `texts` (UTF-8) as Keras's `adapt` does: every token of every text counted, sorted by
    /// count and then by bytes, both descending, cut to `maxTokens - 2` (nil: no cap).
    static func fit(_ texts: [[UInt8]], tokenization: Tokenization, maxTokens: Int? = nil) -> TextVectorizer {
        precondition(maxTokens.map { $0 >= 2 } ?? true, "max_tokens counts padding and [UNK]: at least 2")
        let counts = tokenCounts(texts, tokenization: tokenization)
        var ordered = counts.map { (token: $0.key, count: $0.value) }
        ordered.sort { a, b in
            a.count != b.count ? a.count > b.count : b.token.lexicographicallyPrecedes(a.token)
        }
        if let maxTokens, ordered.count > maxTokens - 2 { ordered.removeLast(ordered.count - (maxTokens - 2)) }
        return TextVectorizer(tokenization: tokenization, tokens: reservedTokens + ordered.map { Array($0.token) })
    }

    /// `fit` on strings (their exact UTF-8 bytes).
    static func fit(_ texts: [String], tokenization: Tokenization, maxTokens: Int? = nil) -> TextVectorizer {
        fit(texts.map { Array($0.utf8) }, tokenization: tokenization, maxTokens: maxTokens)
    }

    /// How often each token occurs in `texts`, the reserved tokens left out as Keras removes them before sorting
    /// (standardisation never produces either, but a given vocabulary could).
    static func tokenCounts(_ texts: [[UInt8]], tokenization: Tokenization) -> [ArraySlice<UInt8>: Int] {
        var counts: [ArraySlice<UInt8>: Int] = [:]
        for text in texts {
            let standardized = standardize(text)
            forEachToken(in: standardized, tokenization) { token in
                if let slot = counts.index(forKey: token) {
                    counts.values[slot] += 1
                } else {
                    // A copy of just the token: the key must not keep the whole text alive.
                    counts[ArraySlice(Array(token))] = 1
                }
            }
        }
        for reserved in reservedTokens { counts[reserved[...]] = nil }
        return counts
    }

    /// The ids of `text` (UTF-8), cut or padded to `length`.
    func ids(_ text: [UInt8], length: Int) -> [Int32] {
        var row: [Int32] = []
        row.reserveCapacity(length)
        appendIDs(of: text, length: length, to: &row)
        return row
    }

    /// `ids` of a string's exact UTF-8 bytes.
    func ids(_ text: String, length: Int) -> [Int32] { ids(Array(text.utf8), length: length) }

    /// Appends exactly `length` ids of `text` to `row`: its first `length` tokens' ids, then padding.
    func appendIDs(of text: [UInt8], length: Int, to row: inout [Int32]) {
        precondition(length >= 0, "a sequence length is not negative")
        var written = 0
        let standardized = Self.standardize(text)
        Self.forEachToken(in: standardized, tokenization) { token in
            guard written < length else { return }
            row.append(index[token] ?? Self.unknownID)
            written += 1
        }
        row.append(contentsOf: repeatElement(Self.paddingID, count: length - written))
    }

    /// Keras's `lower_and_strip_punctuation`: ASCII `A`–`Z` lowercased, ASCII punctuation deleted.
    static func standardize(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        for byte in text where !isPunctuation(byte) {
            out.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
        }
        return out
    }

    /// The tokens of `text` after standardisation, as strings (for tests and messages).
    static func tokens(of text: String, _ tokenization: Tokenization) -> [String] {
        var out: [String] = []
        forEachToken(in: standardize(Array(text.utf8)), tokenization) {
            out.append(String(decoding: $0, as: UTF8.self))
        }
        return out
    }

    /// Calls `body` with each token of an already standardised text, in order.
    static func forEachToken(
        in text: [UInt8], _ tokenization: Tokenization, _ body: (ArraySlice<UInt8>) -> Void
    ) {
        var start = 0
        switch tokenization {
        case .words:
            while start < text.count {
                while start < text.count && isWhitespace(text[start]) { start += 1 }
                var end = start
                while end < text.count && !isWhitespace(text[end]) { end += 1 }
                if end > start { body(text[start..<end]) }
                start = end
            }
        case .characters:
            while start < text.count {
                let end = min(start + scalarWidth(lead: text[start]), text.count)
                body(text[start..<end])
                start = end
            }
        }
    }

    /// Bytes in Keras's punctuation regex: ``!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~`` (all of ASCII's punctuation).
    @inline(__always)
    static func isPunctuation(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: true
        default: false
        }
    }

    /// TensorFlow's whitespace for `tf.strings.split`: space, `\t`, `\n`, `\v`, `\f`, `\r`.
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// Bytes of the UTF-8 sequence a lead byte starts; 1 for a byte that cannot start one (never valid UTF-8).
    @inline(__always)
    static func scalarWidth(lead: UInt8) -> Int {
        switch lead {
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 1
        }
    }
}
