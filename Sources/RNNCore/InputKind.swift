/// What the model's input holds (`input:`).
public enum InputKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// Real values `[N, T, F]`, fed to the first recurrent layer as they are.
    case values
    /// Integer token ids `[N, T]`, fed through `Embedding(vocabulary_size, embedding_dim)` first.
    case tokens

    /// The largest vocabulary of token ids: ids travel to the engine as Floats, which hold every integer up to 2²⁴
    /// exactly.
    public static let maximumVocabulary = 1 << 24
}

/// Which timesteps are padding (`mask:`), with Keras's semantics: a padding step leaves every recurrent layer's state
/// and output as they were.
public enum MaskMode: String, Sendable, Codable, CaseIterable, Hashable {
    /// No step is padding.
    case none
    /// Values: a step whose features are all 0 (Keras `Masking(mask_value=0.0)` as the first layer). Tokens: token
    /// id 0 (`Embedding(mask_zero=True)`).
    case zeros
}
