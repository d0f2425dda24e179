import Foundation
import RNNTraining

/// Renders training events: JSON lines, or Keras-like lines with a live progress bar on a terminal.
enum EventPrinter {
    case json
    case human(terminal: Bool)

    func print(_ event: TrainingEvent) {
        switch self {
        case .json:
            // write(2) per line: a worker's events reach the coordinator as they happen, never block-buffered.
            FileHandleWriter.write(event.jsonLine + "\n", fd: 1)
        case .human(let terminal):
            guard let line = Self.humanLine(event, terminal: terminal) else { return }
            if terminal, case .progress = event {
                FileHandleWriter.write("\r\u{1B}[2K" + line, fd: 1)
            } else {
                FileHandleWriter.write((terminal ? "\r\u{1B}[2K" : "") + line + "\n", fd: 1)
            }
        }
    }

    static func humanLine(_ event: TrainingEvent, terminal: Bool) -> String? {
        switch event {
        case .started(let s):
            let resumed = s.resumedFromEpoch > 0 ? " (resumed after epoch \(s.resumedFromEpoch))" : ""
            let machine = s.provenance.map { p in "\non \(p.host): \(p.cpuKind), \(p.software), \(p.threadText)" } ?? ""
            return
                "\(s.dataset)\n\(s.parameters) parameters, \(s.batchesPerEpoch) batches per epoch\(resumed)\(machine)"
        case .progress(let p):
            guard terminal else { return nil }
            let width = 30
            let done = width * p.batch / max(p.batches, 1)
            let bar =
                String(repeating: "=", count: done) + (done < width ? ">" : "")
                + String(repeating: ".", count: max(0, width - done - 1))
            let eta = p.seconds * Double(p.batches - p.batch) / Double(max(p.batch, 1))
            return "Epoch \(p.epoch) \(p.batch)/\(p.batches) [\(bar)] \(Int(p.samplesPerSecond)) samples/s"
                + " ETA \(formatSeconds(eta))"
        case .epoch(let m):
            // Keras's order: loss, the task's metrics, then the same on validation.
            let parts =
                ["Epoch \(m.epoch)", String(format: "%.1fs", m.seconds)]
                + m.keys.map { "\($0.recordName): \(f4(m.value($0)!))" }
            return parts.joined(separator: " - ")
        case .finished(let f):
            let metrics = f.test.keys.sorted().map { metric -> String in
                let value = f.test[metric]!
                let text = metric.isFraction && value.isFinite ? String(format: "%.2f%%", 100 * value) : f4(value)
                return "test \(metric.rawValue): \(text)"
            }
            // Keras's "Epoch 7: early stopping" and "Restoring model weights from the end of the best epoch: 4."
            let patience =
                (f.stoppedEpoch.map { "Epoch \($0): early stopping\n" } ?? "")
                + (f.restoredEpoch.map { "Restoring model weights from the end of the best epoch: \($0).\n" } ?? "")
            return patience + (["Test loss: \(f4(f.testLoss))"] + metrics.dropFirst()).joined(separator: " - ")
                + " (\(formatSeconds(f.seconds)) total)"
        case .paused(let p):
            return "Stopped after epoch \(p.epoch) as asked (\(formatSeconds(p.seconds)) total)"
        case .error(let e):
            return "error: \(e.message)"
        }
    }

    static func f4(_ x: Double) -> String { x.isFinite ? String(format: "%.4f", x) : "\(x)" }

    static func formatSeconds(_ s: Double) -> String {
        s < 60 ? String(format: "%.1fs", s) : String(format: "%dm%02ds", Int(s) / 60, Int(s) % 60)
    }
}
