/// Keras's timestep mask for one batch: which steps of which sequences are real. `Masking(mask_value=0.0)` as the
/// first layer makes a step padding when all its features are 0; `Embedding(mask_zero=True)` when its token id is 0.
/// Every recurrent layer of the stack receives this same mask in the input's time order, as Keras passes it on (a
/// `go_backwards` layer reverses it together with its input).
///
/// Shapes: T timesteps, B batch. Flags are time-major `[T, B]`, 1 for a real step.
final class StepMask {
    let timesteps: Int
    private(set) var batch = 0
    let flags: UnsafeMutablePointer<UInt8>
    /// The steps where at least one sequence of the batch is real; every sequence is padding outside them.
    private(set) var data: Range<Int> = 0..<0

    init(timesteps: Int, maxBatch: Int) {
        self.timesteps = timesteps
        flags = .allocate(capacity: max(timesteps * maxBatch, 1))
        flags.initialize(repeating: 0, count: max(timesteps * maxBatch, 1))
    }

    deinit { flags.deallocate() }

    /// `Masking(0.0)`: step (t, b) of `x` `[T, B, D]` is real when any of its D features is non-zero.
    func compute(values x: UnsafePointer<Float>, batch: Int, features d: Int) {
        self.batch = batch
        for i in 0..<(timesteps * batch) {
            let step = x + i * d
            var real: UInt8 = 0
            for f in 0..<d where step[f] != 0 { real = 1 }
            flags[i] = real
        }
        findData()
    }

    /// `Embedding(mask_zero=True)`: step (t, b) of the ids `[T, B]` is real when its id is not 0.
    func compute(tokens x: UnsafePointer<Float>, batch: Int) {
        self.batch = batch
        for i in 0..<(timesteps * batch) { flags[i] = x[i] != 0 ? 1 : 0 }
        findData()
    }

    /// This mask is `other` in reverse time order (for a `go_backwards` layer).
    func reverse(_ other: StepMask) {
        batch = other.batch
        let n = batch
        for t in 0..<timesteps {
            (flags + t * n).update(from: other.flags + (timesteps - 1 - t) * n, count: n)
        }
        data = (timesteps - other.data.upperBound)..<(timesteps - other.data.lowerBound)
        if other.data.isEmpty { data = 0..<0 }
    }

    private func findData() {
        let n = batch
        func anyReal(_ t: Int) -> Bool { (0..<n).contains { flags[t * n + $0] != 0 } }
        guard let first = (0..<timesteps).first(where: anyReal) else {
            data = 0..<0
            return
        }
        let last = (first..<timesteps).last(where: anyReal)!
        data = first..<(last + 1)
    }

    /// The steps a layer computes with this mask: only those with data (`skipPadding`), or all of them.
    func window(skipPadding: Bool) -> StepWindow {
        StepWindow(
            steps: skipPadding ? data : 0..<timesteps, data: data, batch: batch, flags: UnsafePointer(flags))
    }
}

/// The steps a recurrent layer computes for one batch (in its processing order) and which rows of them are padding.
///
/// `steps` is either every step or just `data`, the steps where some sequence is real: a step where every sequence
/// is padding leaves output and state unchanged, so skipping it changes nothing. For the result to be the same bits
/// either way, the GEMMs that span all steps run on `data` first and on the padding before and after it separately
/// (they add exact zeros), never on one range that mixes them: a GEMM's blocking, and so its rounding, depends on
/// where its rows start.
struct StepWindow {
    let steps: Range<Int>
    let data: Range<Int>
    let batch: Int
    /// Time-major `[T, B]` real-step flags in processing order; nil when no step is padding.
    let flags: UnsafePointer<UInt8>?

    /// Every step of `timesteps` is real.
    static func all(_ timesteps: Int, batch: Int) -> StepWindow {
        StepWindow(steps: 0..<timesteps, data: 0..<timesteps, batch: batch, flags: nil)
    }

    var isEmpty: Bool { steps.isEmpty }

    /// True when row `b` is padding at step `t`.
    @inline(__always)
    func isPadding(_ t: Int, _ b: Int) -> Bool {
        guard let flags else { return false }
        return flags[t * batch + b] == 0
    }

    /// True when some row is padding at step `t`.
    @inline(__always)
    func hasPadding(_ t: Int) -> Bool {
        guard let flags else { return false }
        let row = flags + t * batch
        for b in 0..<batch where row[b] == 0 { return true }
        return false
    }

    /// Calls `body` with the parts of `range` (a range of steps) inside `core` first, then those before and after
    /// it; with the whole range when it does not meet `core`. `core` defaults to `data`.
    @inline(__always)
    func forEachSegment(of range: Range<Int>, core: Range<Int>? = nil, _ body: (Range<Int>) -> Void) {
        let inside = range.clamped(to: core ?? data)
        guard !inside.isEmpty else {
            if !range.isEmpty { body(range) }
            return
        }
        body(inside)
        if range.lowerBound < inside.lowerBound { body(range.lowerBound..<inside.lowerBound) }
        if inside.upperBound < range.upperBound { body(inside.upperBound..<range.upperBound) }
    }

    /// The steps whose recurrent product reads a previous state that may be non-zero: all computed steps after the
    /// first (its previous state is the zero initial state), with the data's own such steps as the core.
    var recurrentSteps: (range: Range<Int>, core: Range<Int>) {
        let range = steps.isEmpty ? steps : (steps.lowerBound + 1)..<steps.upperBound
        let core = data.isEmpty ? data : (data.lowerBound + 1)..<data.upperBound
        return (range, core)
    }
}
