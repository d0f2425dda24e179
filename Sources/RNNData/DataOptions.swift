/// What a missing value (`?` or `NaN` in a `.ts` file) becomes (`missing:`).
public enum MissingValues: String, Sendable, Codable, CaseIterable, Hashable {
    /// Refused at load, with the file, the line and the series.
    case none
    /// Replaced by 0 (and so masked like padding under `mask: zeros` when a whole step is missing).
    case zero
}

/// How values are standardised before training (`normalize:`).
public enum Normalization: String, Sendable, Codable, CaseIterable, Hashable {
    /// As they are in the files.
    case none
    /// Per channel (feature): minus the training split's mean, divided by its standard deviation, over the real
    /// (unpadded) steps; the same training statistics are applied to validation and test.
    case channel
}

/// How text becomes token ids (`tokens:`).
public enum Tokenization: String, Sendable, Codable, CaseIterable, Hashable {
    /// Keras `TextVectorization`'s default: lowercase, strip punctuation, split on whitespace.
    case words
    /// One token per character after the same standardisation (Keras `split="character"`).
    case characters
}

/// Which training examples `validation_split` holds out (`validation:`).
public enum ValidationSplit: String, Sendable, Codable, CaseIterable, Hashable {
    /// The last fraction, in file order: Keras's `fit(validation_split=…)`, which does not shuffle first.
    case last
    /// A random fraction, drawn from `data_seed`.
    case shuffled
    /// The same fraction of every class (rounded), drawn from `data_seed`: every class of the training split is
    /// in the validation split when it has enough examples.
    case stratified
}

/// What the inputs are multiplied by (`input_scale:`).
public enum InputScale: Sendable, Codable, Hashable {
    /// 1/255 (a division, as Keras's `x / 255`) for the image data sets and an npz whose x is uint8; nothing
    /// otherwise.
    case auto
    /// Nothing: uint8 values are read as 0…255.
    case none
    /// This factor (Keras's `Rescaling(scale=…)`), for any values.
    case factor(Double)
}

/// Which end of a shorter series its padding steps go on, when series of different lengths are padded to one (a
/// `.ts` file's variable-length series). Not a parameter: it follows the mask (``DatasetSpec/padding``).
public enum PaddingSide: String, Sendable, Codable, CaseIterable, Hashable {
    /// Zero steps before the series (Keras `pad_sequences`' default): without a mask the last output, which the
    /// Dense head reads, comes after the real steps.
    case pre
    /// Zero steps after it: with `mask: zeros` they are skipped, and a skipped tail costs no compute.
    case post
}
