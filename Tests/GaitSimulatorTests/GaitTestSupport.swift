import Foundation
import KneeloadCore
@testable import GaitSimulator

/// Builds a scenario from YAML segments with a fixed subject, for tests.
func testScenario(_ segments: String, seed: UInt64 = 5, extra: String = "") throws -> Scenario {
    let yaml = """
        name: test
        seed: \(seed)
        subject: {height_m: 1.75, mass_kg: 70}
        \(extra)
        segments:
        \(segments)
        """
    return try Scenario(yaml: yaml, source: "test.yaml")
}

/// Samples of the synthesizer at a fixed rate over [from, to).
func samples(_ synth: GaitSynthesizer, rate: Double, from: Double = 0, to: Double? = nil) -> [BodyState] {
    let end = to ?? synth.duration
    var out: [BodyState] = []
    var i = 0
    while true {
        let t = from + Double(i) / rate
        if t >= end { break }
        out.append(synth.state(at: t))
        i += 1
    }
    return out
}

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.isEmpty ? .nan : s[s.count / 2]
}
