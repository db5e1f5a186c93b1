import KneeloadCore
import Testing

@Suite struct SeededGeneratorTests {
    @Test func sameSeedSameStream() {
        var a = SeededGenerator(seed: 7)
        var b = SeededGenerator(seed: 7)
        for _ in 0..<100 { #expect(a.next() == b.next()) }
    }

    @Test func derivedStreamsAreIndependentOfEachOther() {
        let root = SeededGenerator(seed: 7)
        var a = root.derived("noise")
        var b = root.derived("faults")
        #expect(a.next() != b.next())
        var a2 = root.derived("noise")
        var a1 = root.derived("noise")
        #expect(a1.next() == a2.next())
    }

    @Test func gaussianHasRoughlyUnitVariance() {
        var g = SeededGenerator(seed: 99)
        let n = 20_000
        var sum = 0.0, sumSq = 0.0
        for _ in 0..<n {
            let v = g.nextGaussian()
            sum += v
            sumSq += v * v
        }
        let mean = sum / Double(n)
        let variance = sumSq / Double(n) - mean * mean
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 1) < 0.05)
    }

    @Test func unitIsInHalfOpenRange() {
        var g = SeededGenerator(seed: 3)
        for _ in 0..<10_000 {
            let u = g.nextUnit()
            #expect(u >= 0 && u < 1)
        }
    }
}
