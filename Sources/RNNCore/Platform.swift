// The one place that names the C library: Glibc on Linux, Darwin on macOS. Every other file imports RNNCore (or
// Foundation, which re-exports the same library) and calls the C functions unqualified.
#if canImport(Glibc)
    @_exported import Glibc
#elseif canImport(Darwin)
    @_exported import Darwin
#else
    #error("rnnsweep needs Glibc or Darwin")
#endif

/// Fills `buffer` from the file descriptor `fd` with read(2), retrying after short reads and EINTR, until the buffer
/// is full or the file ends. Returns the number of bytes read, or -1 (with `errno` set) when a read fails.
public func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    var offset = 0
    while offset < buffer.count {
        let n = read(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 && errno == EINTR { continue }
        if n < 0 { return -1 }
        if n == 0 { break }
        offset += n
    }
    return offset
}

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
