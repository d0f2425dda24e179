import Foundation
import RNNEngine
import Testing

@testable import RNNTraining

/// The `model.py` an export writes, per network kind: each test pins the Keras layer lines (classes, arguments,
/// the engine's layer names) and, where it matters, the weight list the script loads in order.
@Suite("Keras model script")
struct KerasModelScriptTests {
    /// The script of `config` and the lines of its Sequential (inside `[...]`).
    static func script(_ config: some ModelArchitecture) throws -> (text: String, layers: [String]) {
        let model = try config.makeModel(maxBatch: 2, seed: 1)
        let text = try KerasModelScript.source(architecture: config, model: model, about: ["Test model."])
        let lines = text.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "    return keras.Sequential(")) + 2
        let end = try #require(lines[start...].firstIndex(of: "        ]"))
        return (text, lines[start..<end].map { $0.trimmingCharacters(in: .whitespaces) })
    }

    @Test func stackedSimpleRNNWithReluReturnsSequencesBelowTheTop() throws {
        let config = RecurrentConfig(
            cell: .simpleRNN, units: 16, layers: 2, activation: .relu, timesteps: 28, features: 28, outputs: 10)
        let (text, layers) = try Self.script(config)
        #expect(
            layers == [
                "keras.Input(shape=(28, 28)),",
                "keras.layers.SimpleRNN(16, activation=\"relu\", return_sequences=True, name=\"simple_rnn\"),",
                "keras.layers.SimpleRNN(16, activation=\"relu\", name=\"simple_rnn_1\"),",
                "keras.layers.Dense(10, name=\"dense\"),",
                "keras.layers.Activation(\"softmax\", name=\"activation\"),",
            ])
        // Keras's trainable_weights order, with the engine's names and Keras's shapes.
        #expect(
            text.contains(
                """
                WEIGHTS = [
                    ("simple_rnn/kernel", (28, 16)),
                    ("simple_rnn/recurrent_kernel", (16, 16)),
                    ("simple_rnn/bias", (16,)),
                    ("simple_rnn_1/kernel", (16, 16)),
                    ("simple_rnn_1/recurrent_kernel", (16, 16)),
                    ("simple_rnn_1/bias", (16,)),
                    ("dense/kernel", (16, 10)),
                    ("dense/bias", (10,)),
                ]
                """))
        #expect(text.contains("from safetensors.numpy import load_file"))
        #expect(text.contains("def build_model():") && text.contains("def load_model("))
        #expect(text.contains("if __name__ == \"__main__\":\n    load_model().summary()"))
    }

    @Test func maskedLSTMWithDropoutKeepsBothRates() throws {
        let config = RecurrentConfig(
            cell: .lstm, units: 8, dropout: 0.25, recurrentDropout: 0.5, mask: .zeros, timesteps: 12, features: 3,
            outputs: 4)
        let (_, layers) = try Self.script(config)
        #expect(
            layers == [
                "keras.Input(shape=(12, 3)),",
                "keras.layers.Masking(mask_value=0.0, name=\"masking\"),",
                "keras.layers.LSTM(8, dropout=0.25, recurrent_dropout=0.5, name=\"lstm\"),",
                "keras.layers.Dense(4, name=\"dense\"),",
                "keras.layers.Activation(\"softmax\", name=\"activation\"),",
            ])
    }

    @Test func bidirectionalGRUResetBeforeKeepsMergeModeAndResetAfter() throws {
        let config = RecurrentConfig(
            cell: .gru, units: 5, layers: 2, bidirectional: true, mergeMode: .sum, resetAfter: false, timesteps: 7,
            features: 2, outputs: 3)
        let (text, layers) = try Self.script(config)
        #expect(
            layers == [
                "keras.Input(shape=(7, 2)),",
                "keras.layers.Bidirectional(keras.layers.GRU(5, reset_after=False, return_sequences=True), "
                    + "merge_mode=\"sum\", name=\"bidirectional\"),",
                "keras.layers.Bidirectional(keras.layers.GRU(5, reset_after=False), merge_mode=\"sum\", "
                    + "name=\"bidirectional_1\"),",
                "keras.layers.Dense(3, name=\"dense\"),",
                "keras.layers.Activation(\"softmax\", name=\"activation\"),",
            ])
        // Forward before backward; a reset-before GRU has one bias row.
        #expect(
            text.contains("(\"bidirectional/forward_gru/bias\", (15,)),\n    (\"bidirectional/backward_gru/kernel\""))
    }

    @Test func tokenModelHasAnIntegerInputAndAMaskingEmbedding() throws {
        let config = RecurrentConfig(
            cell: .gru, units: 16, mask: .zeros, input: .tokens, vocabularySize: 20, embeddingDim: 8, timesteps: 6,
            features: 1, outputs: 2)
        let (text, layers) = try Self.script(config)
        #expect(
            layers == [
                "keras.Input(shape=(6,), dtype=\"int32\"),",
                "keras.layers.Embedding(20, 8, mask_zero=True, name=\"embedding\"),",
                "keras.layers.GRU(16, reset_after=True, name=\"gru\"),",
                "keras.layers.Dense(2, name=\"dense\"),",
                "keras.layers.Activation(\"softmax\", name=\"activation\"),",
            ])
        #expect(text.contains("(\"embedding/embeddings\", (20, 8)),"))
    }

    @Test func regressionHeadIsALinearDense() throws {
        let config = RecurrentConfig(
            cell: .lstm, units: 4, task: .regression, timesteps: 8, features: 2, outputs: 3)
        let (_, layers) = try Self.script(config)
        #expect(
            layers == [
                "keras.Input(shape=(8, 2)),", "keras.layers.LSTM(4, name=\"lstm\"),",
                "keras.layers.Dense(3, name=\"dense\"),",
            ])
    }

    @Test func mlpFlattensThenDenseReluDropoutPerLayer() throws {
        let config = MLPConfig(units: 32, layers: 2, dropout: 0.45, timesteps: 28, features: 28, outputs: 10)
        let (_, layers) = try Self.script(config)
        #expect(
            layers == [
                "keras.Input(shape=(28, 28)),",
                "keras.layers.Flatten(name=\"flatten\"),",
                "keras.layers.Dense(32, name=\"dense\"),",
                "keras.layers.Activation(\"relu\", name=\"activation\"),",
                "keras.layers.Dropout(0.45, name=\"dropout\"),",
                "keras.layers.Dense(32, name=\"dense_1\"),",
                "keras.layers.Activation(\"relu\", name=\"activation_1\"),",
                "keras.layers.Dropout(0.45, name=\"dropout_1\"),",
                "keras.layers.Dense(10, name=\"dense_2\"),",
                "keras.layers.Activation(\"softmax\", name=\"activation_2\"),",
            ])
    }
}
