import RNNData

/// Why a trained model cannot be read back, or run on the data given (`export`, `predict`, `evaluate`). Each
/// description names the file or option and what to do.
public enum InferenceError: Error, CustomStringConvertible, Sendable {
    /// Neither a checkpoint nor an export where one was expected.
    case notFound(path: String, tried: [String])
    /// The file is not a model rnnsweep wrote, or is damaged.
    case unreadable(path: String, reason: String)
    /// The data does not fit the model (steps, features, classes, task, vocabulary).
    case dataMismatch(String)
    case data(DataError)
    /// The network cannot be written as a Keras 3 model (named).
    case unsupported(String)

    public var description: String {
        switch self {
        case .notFound(let path, let tried):
            "no trained model at \(path) (looked for \(tried.joined(separator: " and ")))"
        case .unreadable(let path, let reason): "\(path): \(reason)"
        case .dataMismatch(let message): "the data does not fit the model: \(message)"
        case .data(let error): error.description
        case .unsupported(let message): "cannot export this model to Keras: \(message)"
        }
    }
}
