import Testing

@testable import RNNEngine

/// The bulk uniform draw of the dropout masks is the generator's own stream.
@Suite("Random source")
struct RandomSourceTests {
    @Test(arguments: [0, 1, 7, 1000] as [Int])
    func fillFloatsIsTheStreamOfNextFloat(count: Int) {
        var bulk = RandomSource(seed: 42, stream: 2)
        var single = bulk
        let out = FloatBuffer(count: count)
        bulk.fillFloats(out.pointer, count: count)
        let expected = (0..<count).map { _ in single.nextFloat() }
        #expect(out.array.map(\.bitPattern) == expected.map(\.bitPattern))
        // And it leaves the generator where `count` single draws do.
        #expect(bulk.state == single.state)
        #expect(bulk.next() == single.next())
    }
}
