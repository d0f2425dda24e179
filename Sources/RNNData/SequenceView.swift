/// How an image dataset is read as sequences. Only image datasets (`fashion-mnist`, `mnist`) use it.
public enum SequenceView: String, Sendable, Codable, Hashable, CaseIterable {
    /// One timestep per image row: T = rows (28), F = columns (28).
    case rows
    /// One timestep per image column: T = columns (28), F = rows (28).
    case columns
    /// One timestep per pixel in row-major order ("sequential MNIST"): T = 784, F = 1.
    case pixels
}
