import CDNNL
import RNNCore

/// The engine's only door to the compute backend: every matrix product goes through `dnnl_sgemm`.
///
/// Row-major, single precision. Keeping the backend behind this one file means a second backend (Accelerate on
/// macOS, say) is an `#if` here and nowhere else.
public enum GEMM {
    /// C[M×N] = alpha · op(A) · op(B) + beta · C, all row-major. `op(A)` is M×K, `op(B)` is K×N.
    @inline(__always)
    public static func multiply(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            // dnnl rejects K = 0; the product is empty, so only the beta scaling remains.
            scale(c, rows: m, columns: n, ld: ldc, by: beta)
            return
        }
        let status = dnnl_sgemm(
            transposeA ? 84 : 78, transposeB ? 84 : 78,  // 'T' / 'N'
            dnnl_dim_t(m), dnnl_dim_t(n), dnnl_dim_t(k), alpha,
            a, dnnl_dim_t(lda), b, dnnl_dim_t(ldb), beta, c, dnnl_dim_t(ldc))
        precondition(status == dnnl_success, "dnnl_sgemm failed with status \(status.rawValue) for \(m)x\(n)x\(k)")
    }

    private static func scale(_ c: UnsafeMutablePointer<Float>, rows: Int, columns: Int, ld: Int, by beta: Float) {
        for i in 0..<rows {
            let row = c + i * ld
            for j in 0..<columns { row[j] = beta == 0 ? 0 : row[j] * beta }
        }
    }

    /// The oneDNN version string, for `--version` and benchmark headers.
    public static var backendDescription: String {
        guard let v = dnnl_version()?.pointee else { return "oneDNN" }
        return "oneDNN \(v.major).\(v.minor).\(v.patch)"
    }
}

/// Per-process compute thread count. oneDNN threads with OpenMP; `omp_set_num_threads` is looked up at run time
/// because libgomp is only an indirect dependency (through libdnnl), so it cannot be linked by name portably.
public enum ComputeThreads {
    public static func set(_ count: Int) {
        precondition(count >= 1, "thread count must be at least 1")
        typealias SetThreads = @convention(c) (Int32) -> Void
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "omp_set_num_threads") else { return }
        unsafeBitCast(symbol, to: SetThreads.self)(Int32(count))
    }
}
