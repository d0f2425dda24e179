/// Finds the four MNIST-style IDX files in a directory, compressed (`.gz`) or not.
struct IDXDirectory {
    let trainImages: String
    let trainLabels: String
    let testImages: String
    let testLabels: String

    /// Returns nil unless all four files are present in `directory`.
    init?(_ directory: String) {
        func find(_ stem: String, _ kind: String) -> String? {
            // LeCun's site names them `train-images-idx3-ubyte`; some mirrors use `train-images.idx3-ubyte`.
            let names = ["\(stem)-\(kind)-ubyte", "\(stem).\(kind)-ubyte"].flatMap { [$0 + ".gz", $0] }
            return names.map { directory + "/" + $0 }.first(where: FileBytes.isFile)
        }
        guard let trainImages = find("train-images", "idx3"), let trainLabels = find("train-labels", "idx1"),
            let testImages = find("t10k-images", "idx3"), let testLabels = find("t10k-labels", "idx1")
        else { return nil }
        self.trainImages = trainImages
        self.trainLabels = trainLabels
        self.testImages = testImages
        self.testLabels = testLabels
    }

    var paths: [String] { [trainImages, trainLabels, testImages, testLabels] }

    /// Reads both splits as images with labels 0..<10.
    func read() throws(DataError) -> (train: ImageSet, test: ImageSet) {
        let train = try ImageSet.readIDX(images: trainImages, labels: trainLabels)
        let test = try ImageSet.readIDX(images: testImages, labels: testLabels)
        guard train.rows == test.rows && train.columns == test.columns else {
            throw .shapeMismatch(
                path: testImages,
                reason: "images are \(test.rows)×\(test.columns) but \(trainImages) has \(train.rows)×\(train.columns)")
        }
        return (train, test)
    }
}
