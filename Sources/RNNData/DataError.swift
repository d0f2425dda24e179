import Foundation
import RNNCore

/// Everything that can go wrong while loading a dataset; each description names the file or field,
/// what is wrong and, where there is one, the fix.
public enum DataError: Error, CustomStringConvertible, LocalizedError, Sendable, Equatable {
    /// `name` is not one of `DatasetSpec.knownNames`.
    case unknownDataset(String)
    /// A spec field has a value that cannot work.
    case invalidSpec(field: String, reason: String)
    /// A file exists (or should) but could not be read.
    case unreadableFile(path: String, reason: String)
    /// The Fashion-MNIST IDX files are not in `path`.
    case fashionMNISTNotFound(path: String)
    /// Digit MNIST was found in none of the places listed in `searched`.
    case mnistNotFound(searched: [String])
    /// A gzip stream is corrupt or cut short.
    case badGzip(path: String, reason: String)
    /// An IDX file's header is not what it should be.
    case badIDX(path: String, reason: String)
    /// A file or archive member holds fewer (or more) payload bytes than its header promises.
    case wrongPayloadSize(path: String, expected: Int, actual: Int)
    /// The image and label files disagree on the number of examples.
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    /// A label is negative or not below `limit`.
    case labelOutOfRange(path: String, index: Int, value: Int, limit: Int)
    /// A label array holds a negative value.
    case negativeLabel(path: String, member: String, index: Int, value: Int)
    /// An `.npz` file is not a readable zip archive.
    case badArchive(path: String, reason: String)
    /// A required array is missing from an `.npz` file.
    case missingMember(path: String, member: String, present: [String])
    /// A `.npy` member's header cannot be parsed.
    case badNPY(path: String, member: String, reason: String)
    /// A `.npy` member uses a dtype this loader does not read.
    case unsupportedDType(path: String, member: String, dtype: String, supported: [String])
    /// A `.npy` member is stored in Fortran (column-major) order.
    case fortranOrder(path: String, member: String)
    /// Array shapes disagree (x vs y, or between splits).
    case shapeMismatch(path: String, reason: String)
    /// Splitting the training set left one side empty, or the split conflicts with the data.
    case invalidSplit(reason: String)
    /// A split has no examples: an `.npz` array (`member`) or an IDX file (`member` nil) with N = 0.
    case emptySplit(path: String, member: String?)
    /// A float input is NaN or infinite; `index` is the first such element, flat in `[N, T, F]` order.
    case nonFiniteValue(path: String, member: String, index: Int, value: Float, stride: Int)
    /// The training labels skip a class: `missing` never occurs although `value` (at `index`) is larger.
    case missingClass(path: String, member: String, missing: Int, index: Int, value: Int)
    /// A test or validation label is not one of the `classes` classes of the training labels.
    case labelNotInTraining(path: String, member: String, index: Int, value: Int, classes: Int)
    /// Token input, but x is not an integer array.
    case tokensNotIntegers(path: String, member: String, dtype: String)
    /// Value input, but x is an integer array other than bytes (probably token ids).
    case integerValues(path: String, member: String, dtype: String)
    /// A text file (`.ts`, CSV, a document) that cannot be read as its format says: `line` is 1-based, nil when the
    /// problem is the file as a whole; `reason` says what is wrong and, where there is one, the fix.
    case badFile(path: String, line: Int?, reason: String)
    /// A token id is negative or too large to be an id; `index` is flat in `[N, T]`.
    case badTokenID(path: String, member: String, index: Int, value: Int, stride: Int)
    /// A token id is outside the vocabulary 0..<`vocabulary` and the file gives no `oov_id` to map it to.
    case tokenOutsideVocabulary(path: String, member: String, index: Int, value: Int, stride: Int, vocabulary: Int)

    /// A user-facing message.
    public var description: String {
        switch self {
        case .unknownDataset(let name):
            return "unknown dataset '\(name)': use one of \(DatasetSpec.knownNames.joined(separator: ", "))"
        case .invalidSpec(let field, let reason):
            return "dataset \(field) \(reason)"
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .fashionMNISTNotFound(let path):
            return "Fashion-MNIST not found at \(path): install it with `apt-get install dataset-fashion-mnist` "
                + "(or set data_dir)"
        case .mnistNotFound(let searched):
            return "digit MNIST not found, and it cannot be downloaded here (no internet). Looked in:\n"
                + searched.map { "  - \($0)" }.joined(separator: "\n")
                + "\nProvide it as the four IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], "
                + "t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]) in a directory given as data_dir "
                + "or RNNSWEEP_MNIST_DIR, or copy Keras's mnist.npz to ~/.keras/datasets/mnist.npz"
        case .badGzip(let path, let reason):
            return "\(path) is not a valid gzip file (\(reason)); re-download or re-copy it"
        case .badIDX(let path, let reason):
            return "\(path) is not a valid IDX file: \(reason)"
        case .wrongPayloadSize(let path, let expected, let actual):
            let what = actual < expected ? "truncated" : "has trailing data"
            return "\(path) is \(what): its header promises \(expected) bytes of data but \(actual) are there; "
                + "re-download or re-copy it"
        case .countMismatch(let images, let imageCount, let labels, let labelCount):
            return "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels; "
                + "the two files must belong together"
        case .labelOutOfRange(let path, let index, let value, let limit):
            return "\(path): label \(value) at index \(index) is outside 0..<\(limit)"
        case .negativeLabel(let path, let member, let index, let value):
            return "\(path): array '\(member)' has label \(value) at index \(index); labels must be class indices "
                + "0, 1, 2, ..."
        case .badArchive(let path, let reason):
            return "\(path) is not a readable .npz (zip) file: \(reason); save it with numpy.savez or savez_compressed"
        case .missingMember(let path, let member, let present):
            let list = present.isEmpty ? "nothing" : present.joined(separator: ", ")
            return "\(path) has no array '\(member)' (it holds: \(list)); "
                + "save it with numpy.savez(path, x_train=..., y_train=..., x_test=..., y_test=...)"
        case .badNPY(let path, let member, let reason):
            return "\(path): array '\(member)' is not a valid .npy: \(reason)"
        case .unsupportedDType(let path, let member, let dtype, let supported):
            return "\(path): array '\(member)' has dtype '\(dtype)', which is not supported; use one of "
                + supported.map { "'\($0)'" }.joined(separator: ", ") + " (e.g. x.astype(numpy.float32))"
        case .fortranOrder(let path, let member):
            return "\(path): array '\(member)' is stored in Fortran order; save numpy.ascontiguousarray(x) instead"
        case .shapeMismatch(let path, let reason):
            return "\(path): \(reason)"
        case .invalidSplit(let reason):
            return "cannot split the data: \(reason)"
        case .emptySplit(let path, let member):
            let what = member.map { "\(path): array '\($0)'" } ?? path
            return "\(what) holds no examples; every split needs at least one"
        case .nonFiniteValue(let path, let member, let index, let value, let stride):
            return "\(path): array '\(member)' has \(value) at index \(index) (example \(index / max(stride, 1))); "
                + "inputs must be finite numbers"
        case .missingClass(let path, let member, let missing, let index, let value):
            return "\(path): array '\(member)' has label \(value) at index \(index) but no label \(missing); labels "
                + "must be the class indices 0, 1, ..., K-1 with every class present in the training set"
        case .labelNotInTraining(let path, let member, let index, let value, let classes):
            return "\(path): array '\(member)' has label \(value) at index \(index), outside the classes "
                + "0..<\(classes) of the training labels"
        case .tokensNotIntegers(let path, let member, let dtype):
            return "\(path): array '\(member)' has dtype '\(dtype)', but input: tokens needs integer token ids "
                + "(e.g. x.astype(numpy.int32)); for real-valued inputs use input: values"
        case .badFile(let path, let line, let reason):
            return "\(path)\(line.map { ":\($0)" } ?? ""): \(reason)"
        case .integerValues(let path, let member, let dtype):
            return "\(path): array '\(member)' holds integers (dtype '\(dtype)'): for token ids set input: tokens; "
                + "for real values save x.astype(numpy.float32)"
        case .badTokenID(let path, let member, let index, let value, let stride):
            return "\(path): array '\(member)' has token id \(value) at index \(index) (example "
                + "\(index / max(stride, 1)), step \(index % max(stride, 1))); ids must be integers in "
                + "0..<\(InputKind.maximumVocabulary)"
        case .tokenOutsideVocabulary(let path, let member, let index, let value, let stride, let vocabulary):
            return "\(path): array '\(member)' has token id \(value) at example \(index / max(stride, 1)), step "
                + "\(index % max(stride, 1)), outside the vocabulary 0..<\(vocabulary); map unknown tokens to an "
                + "out-of-vocabulary id and save it in the file as oov_id (numpy.savez(..., oov_id=1)), or raise "
                + "vocabulary_size"
        }
    }

    /// Same as `description`, for `localizedDescription`.
    public var errorDescription: String? { description }
}
