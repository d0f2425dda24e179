// The one place that names the C library: Glibc on Linux, Darwin on macOS. Every other file imports RNNCore (or
// Foundation, which re-exports the same library) and calls the C functions unqualified.
#if canImport(Glibc)
    @_exported import Glibc
#elseif canImport(Darwin)
    @_exported import Darwin
#else
    #error("rnnsweep needs Glibc or Darwin")
#endif

/// Writes all of `bytes` to the file descriptor `fd` with write(2), retrying after short writes and EINTR.
/// Returns false (with `errno` set) when a write fails, so a caller can report a full disk or a closed pipe.
public func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return false }
        offset += n
    }
    return true
}
