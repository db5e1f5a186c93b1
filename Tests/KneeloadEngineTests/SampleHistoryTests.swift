import KneeloadCore
import KneeloadEngine
import Testing

@Suite struct SampleHistoryTests {
    /// The first readable index at or after `t`, by walking every sample: what the guessed-then-bracketed
    /// search must always return.
    private func scan(_ h: SampleHistory, _ t: Double) -> Int {
        var i = h.oldestReadable
        while i < h.nextIndex && h.time(i) < t { i += 1 }
        return i
    }

    private func append(_ h: inout SampleHistory, _ t: Double) {
        h.append(time: t, rate: 0, knee: 0, impact: 0, pressure: 0, accel: .zero)
    }

    @Test func indexSearchMatchesAScanOnUnevenTimestamps() {
        // Jittered intervals, bursts and short dropouts, and a ring that has wrapped: the mean-interval guess
        // is off, and the search must still find the same index as a scan.
        var h = SampleHistory(lookBackSeconds: 0.5)
        var generator = SplitMix(seed: 5)
        var t = 100.0
        for k in 0..<3000 {
            let jitter = generator.unit()
            t += k % 97 == 0 ? 0.05 : (k % 31 < 5 ? 0.0005 : 0.002 + 0.003 * jitter)
            append(&h, t)
        }
        #expect(h.oldestReadable > 0)
        let oldest = h.time(h.oldestReadable)
        let newest = h.time(h.lastIndex)
        var query = oldest - 0.01
        while query < newest + 0.01 {
            #expect(h.index(atOrAfter: query) == scan(h, query), "t = \(query)")
            query += 0.00077
        }
        // Exactly on sample times, at both ends, and outside.
        for i in [h.oldestReadable, h.oldestReadable + 1, h.lastIndex - 1, h.lastIndex] {
            #expect(h.index(atOrAfter: h.time(i)) == i)
        }
        #expect(h.index(atOrAfter: -.infinity) == h.oldestReadable)
        #expect(h.index(atOrAfter: .infinity) == h.nextIndex)
        #expect(h.index(atOrAfter: .nan) == h.oldestReadable)
    }

    @Test func indexSearchAfterClearSeesOnlyNewSamples() {
        var h = SampleHistory(lookBackSeconds: 1)
        for k in 0..<50 { append(&h, Double(k) * 0.01) }
        h.clear()
        #expect(h.index(atOrAfter: 0.2) == h.nextIndex)
        for k in 0..<3 { append(&h, 10 + Double(k) * 0.01) }
        #expect(h.index(atOrAfter: 0.2) == 50)
        #expect(h.index(atOrAfter: 10.005) == 51)
        #expect(h.index(atOrAfter: 10.02) == 52)
        #expect(h.index(atOrAfter: 10.03) == 53)
    }

    @Test func copiesAreIndependent() {
        // The ring's memory is shared between copies until one appends: the other must not see it.
        var h = SampleHistory(lookBackSeconds: 0.1)
        for k in 0..<10 { append(&h, Double(k)) }
        var copy = h
        append(&copy, 100)
        h.append(time: 50, rate: 1, knee: 2, impact: 3, pressure: 4, accel: Vector3(5, 6, 7))
        #expect(copy.time(10) == 100)
        #expect(h.time(10) == 50)
        #expect(h.knee(10) == 2 && copy.knee(10) == 0)
        // Wrapping the ring in one copy leaves the other's oldest samples in place.
        let before = h
        for k in 0..<(2 * h.capacity) { append(&h, 1000 + Double(k)) }
        #expect(before.time(0) == 0)
        #expect(before.time(10) == 50)
        #expect(before.accel(10) == Vector3(5, 6, 7))
        #expect(h.time(h.lastIndex) == 1000 + Double(2 * h.capacity - 1))
    }
}
