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
            var parts = [
                "Epoch \(m.epoch)", String(format: "%.1fs", m.seconds), "loss: \(f4(m.loss))",
                "accuracy: \(f4(m.accuracy))",
            ]
            if let v = m.valLoss { parts.append("val_loss: \(f4(v))") }
            if let v = m.valAccuracy { parts.append("val_accuracy: \(f4(v))") }
            return parts.joined(separator: " - ")
        case .finished(let f):
            return "Test loss: \(f4(f.testLoss)) - test accuracy: \(String(format: "%.2f", 100 * f.testAccuracy))%"
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
