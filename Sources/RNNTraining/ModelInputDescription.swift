import RNNData
import RNNEngine

/// What an exported model expects as input, in words, from its trial's parameters: the shape, and what the data layer
/// did to the values before the first layer (the view of an image, `input_scale`, a `.ts` file's normalisation and
/// padding, token ids). The Keras model gets none of that built in, so `model.py` and `parameters.json` say it.
public enum ModelInputDescription {
    public static func describe(_ p: TrainingParameters, shape: InputShape) -> String {
        let dataset = p.string("dataset")
        if p.value("input")?.stringValue == InputKind.tokens.rawValue {
            var text = "int32 token ids [batch, \(shape.timesteps)], 0 = padding"
            if dataset == "text" {
                text +=
                    ", as TextVectorization(vocabulary=vocabulary.json[2:], output_sequence_length="
                    + "\(shape.timesteps)\(p.string("tokens") == "characters" ? ", split=\"character\"" : "")) gives"
            }
            return text
        }
        var parts = ["float32 [batch, \(shape.timesteps), \(shape.features)]"]
        if dataset == "fashion-mnist" || dataset == "mnist" {
            let view: String
            switch SequenceView(rawValue: p.string("view")) ?? .rows {
            case .rows: view = "a step per row"
            case .columns: view = "a step per column (the image transposed)"
            case .pixels: view = "a step per pixel, row by row"
            }
            parts.append("each image with \(view)")
        }
        switch TrainingConfig.inputScale(p.value("input_scale")) {
        case .auto:
            parts.append(
                dataset == "fashion-mnist" || dataset == "mnist"
                    ? "pixels / 255"
                    : dataset == "npz" ? "x / 255 when the npz's x is uint8, else as stored" : "values as read")
        case .none: parts.append("values as stored (input_scale: none)")
        case .factor(let factor): parts.append("values × \(factor) (input_scale)")
        }
        if dataset == "ts" {
            if p.string("normalize") == Normalization.channel.rawValue {
                parts.append(
                    "each channel minus the TRAIN file's mean over its real values, over their standard deviation "
                        + "(normalize: channel)")
            }
            parts.append(
                p.value("mask")?.stringValue == MaskMode.zeros.rawValue
                    ? "shorter series padded with zeros after their end"
                    : "shorter series padded with zeros before their start")
        }
        return parts.joined(separator: "; ")
    }
}
