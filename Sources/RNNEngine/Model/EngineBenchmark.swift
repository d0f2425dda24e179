/// Times training and inference steps of a model on synthetic data, and `dnnl_sgemm` alone on the product that dominates
/// its step (`ModelArchitecture.referenceGEMM`), so the two rates can be compared in the same run (`rnnsweep bench`).
public enum EngineBenchmark {
    public struct Result: Sendable, Codable {
        /// The model's short name as the peer benchmarks key it: the cell (`simple_rnn`, `lstm`, `gru`) or the
        /// network kind (`mlp`).
        public var cell: String
        public var units: Int
        public var batchSize: Int
        public var threads: Int
        public var trainSamplesPerSecond: Double
        public var trainMillisecondsPerBatch: Double
        public var evalSamplesPerSecond: Double
        public var evalMillisecondsPerBatch: Double
        /// Model FLOPs per training sample = 3 × the forward pass's matmul FLOPs.
        public var trainModelGFLOPS: Double
        /// dnnl_sgemm alone on the architecture's reference product (`[B, H] × [H, G·H]` for recurrent layers),
        /// timed in blocks that alternate with the training batches.
        public var sgemmGFLOPS: Double

        enum CodingKeys: String, CodingKey {
            case cell, units, threads
            case batchSize = "batch_size"
            case trainSamplesPerSecond = "train_samples_per_second"
            case trainMillisecondsPerBatch = "train_ms_per_batch"
            case evalSamplesPerSecond = "eval_samples_per_second"
            case evalMillisecondsPerBatch = "eval_ms_per_batch"
            case trainModelGFLOPS = "train_model_gflops"
            case sgemmGFLOPS = "sgemm_gflops"
        }
    }

    /// What the engine runs on here, e.g. "oneDNN 2.6.3, AVX-512 activations", for benchmark reports.
    public static var engineDescription: String {
        "\(GEMM.backendDescription), \(Elementwise.activationInstructionSet) activations"
    }

    /// The instruction set the C kernels run with here (`AVX-512`, `AVX2` or `baseline`), for trial provenance.
    public static var kernelInstructionSet: String { Elementwise.activationInstructionSet }

    /// Times `architecture`; `name` and `units` only label the result.
    public static func run(
        architecture: any ModelArchitecture, name: String, units: Int, batchSize: Int, batches: Int, warmup: Int,
        threads: Int
    ) throws(ModelConfigError) -> Result {
        precondition(batches >= 1 && warmup >= 0, "EngineBenchmark.run needs batches ≥ 1 and warmup ≥ 0")
        // In the floating-point mode the trainer uses for this kind.
        return try DenormalMode.run(flushingDenormals: type(of: architecture).flushesDenormals) {
            () throws(ModelConfigError) in
            try measure(
                architecture: architecture, name: name, units: units, batchSize: batchSize, batches: batches,
                warmup: warmup, threads: threads)
        }
    }

    private static func measure(
        architecture: any ModelArchitecture, name: String, units: Int, batchSize: Int, batches: Int, warmup: Int,
        threads: Int
    ) throws(ModelConfigError) -> Result {
        ComputeThreads.set(threads)
        let shape = architecture.shape
        let model = try architecture.makeModel(maxBatch: batchSize, seed: 1)
        let optimizer = try OptimizerConfig(kind: .sgd).make(for: model.parameters)
        var rng = RandomSource(seed: 7)
        let x = FloatBuffer(count: shape.timesteps * batchSize * shape.features)
        for i in 0..<x.count {
            x.pointer[i] = shape.tokenVocabulary.map { Float(rng.nextInt(below: $0)) } ?? rng.nextFloat()
        }
        let labels = UnsafeMutablePointer<Int32>.allocate(capacity: batchSize)
        defer { labels.deallocate() }
        for i in 0..<batchSize { labels[i] = Int32(rng.nextInt(below: max(shape.outputs, 1))) }
        let regressionTargets = FloatBuffer(count: batchSize * shape.outputs)
        for i in 0..<regressionTargets.count { regressionTargets.pointer[i] = rng.nextFloat() }
        let targets: BatchTargets =
            shape.task == .classification ? .classes(labels) : .values(regressionTargets.pointer)
        let clock = ContinuousClock()
        func seconds(_ repetitions: Int, _ body: () -> Void) -> Double {
            let start = clock.now
            for _ in 0..<repetitions { body() }
            let d = (clock.now - start).components
            return Double(d.seconds) + Double(d.attoseconds) * 1e-18
        }
        let (n, k) = architecture.referenceGEMM(batch: batchSize)
        let a = FloatBuffer(count: batchSize * k)
        let b = FloatBuffer(count: k * n)
        let c = FloatBuffer(count: batchSize * n)
        // Values like the model's, not zeros: the reference must not run on friendlier data than the model does.
        for buffer in [a, b] {
            for i in 0..<buffer.count { buffer.pointer[i] = rng.nextFloat() - 0.5 }
        }
        let sgemm = {
            GEMM.multiply(
                m: batchSize, n: n, k: k, a: a.pointer, lda: k, b: b.pointer, ldb: n, beta: 1, c: c.pointer, ldc: n)
        }
        // Training batches and blocks of the reference sgemm alternate in up to 10 chunks, so that both rates sample
        // the same machine: on a shared VM the rate drifts by ±20 % within minutes, and timing the two one after
        // the other moved their ratio by more than any engine change.
        let gemmCallsPerBatch = 10
        let chunks = max(1, min(batches, 10))
        var trainSeconds = 0.0
        var gemmSeconds = 0.0
        let step = {
            model.trainStep(x: x.pointer, targets: targets, batch: batchSize, rng: &rng)
            optimizer.step(model.parameters)
        }
        _ = seconds(warmup, step)
        _ = seconds(warmup * gemmCallsPerBatch, sgemm)
        for chunk in 0..<chunks {
            let count = batches * (chunk + 1) / chunks - batches * chunk / chunks
            trainSeconds += seconds(count, step)
            gemmSeconds += seconds(count * gemmCallsPerBatch, sgemm)
        }
        let train = trainSeconds / Double(batches)
        let gemm = gemmSeconds / Double(batches * gemmCallsPerBatch)
        let evaluateStep = { _ = model.evaluate(x: x.pointer, targets: targets, batch: batchSize) }
        _ = seconds(warmup, evaluateStep)
        let eval = seconds(batches, evaluateStep) / Double(batches)
        let flopsPerSample = 3 * architecture.forwardFLOPs
        return Result(
            cell: name, units: units, batchSize: batchSize, threads: threads,
            trainSamplesPerSecond: Double(batchSize) / train, trainMillisecondsPerBatch: 1000 * train,
            evalSamplesPerSecond: Double(batchSize) / eval, evalMillisecondsPerBatch: 1000 * eval,
            trainModelGFLOPS: flopsPerSample * Double(batchSize) / train / 1e9,
            sgemmGFLOPS: 2 * Double(batchSize * n * k) / gemm / 1e9)
    }
}
