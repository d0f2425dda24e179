import RNNEngine

/// `model.py` of an export: Python that builds the network a trial trained as a Keras 3 `Sequential` — the same
/// layers, names, units, activations, GRU `reset_after`, masking, embedding, Bidirectional merge mode and head — and
/// loads its weights from `model.safetensors` beside it with `safetensors.numpy.load_file`.
///
/// The weights keep the engine's names (`lstm/kernel`, `bidirectional/backward_gru/bias`, `dense/bias`), which are
/// Keras's layer name and variable name. The engine stores them in Keras's `trainable_weights` order with Keras's
/// shapes (the golden tests in `RNNEngineTests` check both), so the script assigns the i-th tensor of its `WEIGHTS`
/// list to the i-th trainable variable, after checking the count, each shape and each variable's own name.
public enum KerasModelScript {
    /// The script for `architecture`, whose built `model` (any batch size) names the layers and weights. `about` is
    /// the first lines of the docstring (which trial, which sweep, which rnnsweep). Throws for a network kind or
    /// option that has no Keras form here.
    public static func source(
        architecture: any ModelArchitecture, model: any SequenceModel, about: [String]
    ) throws(InferenceError) -> String {
        let (input, layers) = try self.layers(architecture)
        let rows = model.summaryRows
        guard rows.map(\.type) == layers.map(\.type) else {
            throw .unsupported(
                "the engine's layers (\(rows.map(\.type).joined(separator: ", "))) are not the ones the exporter "
                    + "writes (\(layers.map(\.type).joined(separator: ", ")))")
        }
        var lines = ["            \(input),"]
        for (row, layer) in zip(rows, layers) {
            if let before = layer.before { lines.append("            \(before),") }
            lines.append("            \(layer.call(row.name)),")
        }
        let weights = model.parameters.specs.map { spec in
            // A Python tuple: `(10,)` for one dimension.
            let dimensions = spec.shape.map(String.init).joined(separator: ", ")
            return "    (\(python(spec.name)), (\(dimensions)\(spec.shape.count == 1 ? "," : ""))),"
        }
        return """
            \"\"\"\(about.joined(separator: "\n"))

            Builds the network as a Keras 3 Sequential and loads its weights from model.safetensors (beside this file):
            the i-th tensor of WEIGHTS into the i-th variable of model.trainable_weights, as rnnsweep keeps Keras's
            order, shapes and names. Needs keras>=3 and safetensors; run it to print the model's summary.
            \"\"\"

            import os

            import keras
            from safetensors.numpy import load_file

            HERE = os.path.dirname(os.path.abspath(__file__))

            # (rnnsweep tensor name, shape), in Keras's trainable_weights order.
            WEIGHTS = [
            \(weights.joined(separator: "\n"))
            ]


            def build_model():
                \"\"\"The network, with Keras's initial weights.\"\"\"
                return keras.Sequential(
                    [
            \(lines.joined(separator: "\n"))
                    ]
                )


            def load_model(path=os.path.join(HERE, "model.safetensors")):
                \"\"\"The network with the trial's trained weights.\"\"\"
                model = build_model()
                tensors = load_file(path)
                variables = model.trainable_weights
                if len(variables) != len(WEIGHTS):
                    raise ValueError(f"the Keras model has {len(variables)} weights, the export {len(WEIGHTS)}")
                for variable, (name, shape) in zip(variables, WEIGHTS):
                    value = tensors[name]
                    if tuple(variable.shape) != shape or value.shape != shape:
                        raise ValueError(f"{name}: Keras {tuple(variable.shape)}, file {value.shape}, expected {shape}")
                    if variable.name != name.split("/")[-1]:
                        raise ValueError(f"{name}: Keras's variable at its position is {variable.path}")
                    variable.assign(value)
                return model


            if __name__ == "__main__":
                load_model().summary()

            """
    }

    /// One layer of the Sequential: its Keras class (as the engine's summary rows name it) and its call, given the
    /// layer's name.
    struct Layer {
        var type: String
        /// A layer without weights Keras needs before this one and the engine does without (no summary row).
        var before: String? = nil
        var call: (String) -> String
    }

    /// The Input line and the layers of the network, in order.
    static func layers(_ architecture: any ModelArchitecture) throws(InferenceError) -> (String, [Layer]) {
        switch architecture {
        case let c as RecurrentConfig: return recurrent(c)
        case let c as MLPConfig: return mlp(c)
        default:
            throw .unsupported("network \(type(of: architecture).kind) has no Keras form in the exporter")
        }
    }

    private static func recurrent(_ c: RecurrentConfig) -> (String, [Layer]) {
        var layers: [Layer] = []
        let input: String
        if c.input == .tokens {
            input = "keras.Input(shape=(\(c.timesteps),), dtype=\"int32\")"
            let mask = c.mask == .zeros ? "True" : "False"
            layers.append(
                Layer(type: "Embedding") {
                    "keras.layers.Embedding(\(c.vocabularySize), \(c.embeddingDim), mask_zero=\(mask), name=\(python($0)))"
                })
        } else {
            input = "keras.Input(shape=(\(c.timesteps), \(c.features)))"
            if c.mask == .zeros {
                layers.append(Layer(type: "Masking") { "keras.layers.Masking(mask_value=0.0, name=\(python($0)))" })
            }
        }
        for l in 0..<c.layers {
            var arguments = ["\(c.units)"]
            switch c.cell {
            case .simpleRNN: arguments.append("activation=\(python(c.activation.rawValue))")
            case .lstm: break
            case .gru: arguments.append("reset_after=\(c.resetAfter ? "True" : "False")")
            }
            if c.dropout > 0 { arguments.append("dropout=\(c.dropout)") }
            if c.recurrentDropout > 0 { arguments.append("recurrent_dropout=\(c.recurrentDropout)") }
            if l < c.layers - 1 { arguments.append("return_sequences=True") }
            if c.goBackwards && !c.bidirectional { arguments.append("go_backwards=True") }
            let cell = "keras.layers.\(c.cell.kerasName)(\(arguments.joined(separator: ", "))"
            if c.bidirectional {
                layers.append(
                    Layer(type: "Bidirectional") {
                        "keras.layers.Bidirectional(\(cell)), merge_mode=\(python(c.mergeMode.rawValue)), "
                            + "name=\(python($0)))"
                    })
            } else {
                layers.append(Layer(type: c.cell.kerasName) { "\(cell), name=\(python($0)))" })
            }
        }
        layers.append(contentsOf: head(outputs: c.outputs, task: c.task))
        return (input, layers)
    }

    private static func mlp(_ c: MLPConfig) -> (String, [Layer]) {
        var layers: [Layer] = []
        for l in 0..<c.layers {
            // The MLP reads the flattened sequence: index t·D + d, as Flatten gives.
            layers.append(
                Layer(type: "Dense", before: l == 0 ? "keras.layers.Flatten(name=\"flatten\")" : nil) {
                    "keras.layers.Dense(\(c.units), name=\(python($0)))"
                })
            layers.append(Layer(type: "Activation") { "keras.layers.Activation(\"relu\", name=\(python($0)))" })
            layers.append(Layer(type: "Dropout") { "keras.layers.Dropout(\(c.dropout), name=\(python($0)))" })
        }
        layers.append(contentsOf: head(outputs: c.outputs, task: c.task))
        return ("keras.Input(shape=(\(c.timesteps), \(c.features)))", layers)
    }

    /// Dense(C) + softmax for a classifier, a linear Dense(k) for regression.
    private static func head(outputs: Int, task: Task) -> [Layer] {
        var layers = [Layer(type: "Dense") { "keras.layers.Dense(\(outputs), name=\(python($0)))" }]
        if task == .classification {
            layers.append(Layer(type: "Activation") { "keras.layers.Activation(\"softmax\", name=\(python($0)))" })
        }
        return layers
    }

    /// A Python string literal (names and values here are ASCII identifiers; quotes and backslashes escaped anyway).
    static func python(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
