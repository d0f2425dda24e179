/// An owned, 64-byte-aligned, zero-initialised Float32 buffer of fixed size.
///
/// The engine allocates every workspace once, when a model is built, so a training step never allocates. Hot loops
/// work on `pointer` directly: `[Float]` element loops do not vectorize (measured 10–20× slower on this toolchain).
public final class FloatBuffer {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Float>

    public init(count: Int) {
        precondition(count >= 0)
        Self.allocations?.add(count)
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }

    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    public func zero() { pointer.update(repeating: 0, count: count) }

    public func zero(prefix n: Int) { pointer.update(repeating: 0, count: n) }

    public var array: [Float] { Array(buffer) }
}

extension FloatBuffer {
    /// Counts the floats of the buffers created while it is the task's ``FloatBuffer/allocations``: how tests check
    /// that ``ModelMemory`` names every buffer a model allocates.
    public final class AllocationCount: @unchecked Sendable {
        private var total = 0
        public init() {}
        /// Floats allocated so far (the one-float stand-ins of empty buffers not counted).
        public var floats: Int { total }
        func add(_ count: Int) { total += count }
    }

    /// Set (with `$allocations.withValue`) around a model's construction to count its buffers; nil otherwise.
    @TaskLocal public static var allocations: AllocationCount?
}
