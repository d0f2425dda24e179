/// Small MNIST-shaped IDX files written by the tests: non-square images so a wrong transpose shows.
struct MNISTFixture {
    static let rows = 4
    static let columns = 3
    let trainCount: Int
    let testCount: Int

    /// The byte at image `index`, row `r`, column `c` (test images are offset so they differ from train).
    static func pixel(_ index: Int, _ r: Int, _ c: Int, test: Bool = false) -> UInt8 {
        UInt8((index * 37 + r * 11 + c * 5 + (test ? 101 : 0)) % 256)
    }

    static func label(_ index: Int, test: Bool = false) -> Int32 { Int32((index * 3 + (test ? 1 : 0)) % 10) }

    func images(test: Bool) -> [UInt8] {
        let n = test ? testCount : trainCount
        var bytes: [UInt8] = []
        for i in 0..<n {
            for r in 0..<Self.rows {
                for c in 0..<Self.columns { bytes.append(Self.pixel(i, r, c, test: test)) }
            }
        }
        return bytes
    }

    func labels(test: Bool) -> [UInt8] {
        (0..<(test ? testCount : trainCount)).map { UInt8(Self.label($0, test: test)) }
    }

    /// Writes the four IDX files into `directory` (gzip-compressed with a `.gz` suffix when `gzip`).
    func write(into directory: TempDirectory, gzip: Bool) throws {
        let suffix = gzip ? ".gz" : ""
        for (stem, test) in [("train", false), ("t10k", true)] {
            let n = test ? testCount : trainCount
            var files = [
                (
                    "\(stem)-images-idx3-ubyte",
                    TestFiles.idx(dimensions: [n, Self.rows, Self.columns], payload: images(test: test))
                ),
                ("\(stem)-labels-idx1-ubyte", TestFiles.idx(dimensions: [n], payload: labels(test: test))),
            ]
            if gzip { files = files.map { ($0.0, TestFiles.gzip($0.1)) } }
            for (name, bytes) in files { _ = try directory.write(bytes, to: name + suffix) }
        }
    }
}
