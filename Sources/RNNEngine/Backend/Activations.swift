/// The activation of a SimpleRNN layer (Keras `activation`).
public enum Activation: String, Sendable, Codable, CaseIterable, Hashable {
    case tanh
    case relu
}
