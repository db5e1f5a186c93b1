import KneeloadConfiguration
import KneeloadEngine
import Testing

@Suite struct ConfigurationTests {
    @Test func emptyFileGivesTheContractDefaults() throws {
        for text in ["", "\n# nothing\n", "{}"] {
            let configuration = try Configuration(yaml: text, source: "k.yaml")
            #expect(configuration == Configuration())
            #expect(configuration.bodyMassKg == 70)
            #expect(configuration.limits.sessionLoadBWs == 5000)
            #expect(configuration.limits.loadRateBWsPerMin == 600)
            #expect(configuration.limits.sessionStairDescentSteps == 60)
        }
    }

    @Test func everyKeyIsRead() throws {
        let configuration = try Configuration(
            yaml: """
                body:
                  mass_kg: 82.5
                  height_m: 1.9
                limits:
                  session_load_bw_s: 3000
                  load_rate_bw_s_per_min: 450
                  session_stair_descent_steps: 40
                  warning_fraction: 0
                  rearm: cooldown
                  cooldown_s: 300
                  rearm_fraction: 0.8
                  progression_factor: 1.2
                """, source: "k.yaml")
        #expect(configuration.bodyMassKg == 82.5)
        #expect(configuration.bodyHeightM == 1.9)
        var limits = AlertLimits()
        limits.sessionLoadBWs = 3000
        limits.loadRateBWsPerMin = 450
        limits.sessionStairDescentSteps = 40
        limits.warningFraction = 0
        limits.rearm = .cooldown
        limits.cooldownS = 300
        limits.rearmFraction = 0.8
        limits.progressionFactor = 1.2
        #expect(configuration.limits == limits)
    }

    @Test(arguments: [
        ("limits:\n  session_load: 5\n", "k.yaml:2: limits.session_load: unknown key; allowed here: session_load_bw_s, load_rate_bw_s_per_min, session_stair_descent_steps, warning_fraction, rearm, cooldown_s, rearm_fraction, progression_factor"),
        ("bodie:\n  mass_kg: 70\n", "k.yaml:1: bodie: unknown key; allowed here: body, limits, sensors, gpio, daemon"),
        ("body:\n  mass_kg: heavy\n", "k.yaml:2: body.mass_kg = heavy: expected a number (20…300 kg)"),
        ("body:\n  mass_kg: 7\n", "k.yaml:2: body.mass_kg = 7: out of range; allowed 20…300 kg"),
        ("limits:\n  session_load_bw_s: -1\n", "k.yaml:2: limits.session_load_bw_s = -1: out of range; allowed: a number in (0, 10000000]"),
        ("limits:\n  warning_fraction: 1.5\n", "k.yaml:2: limits.warning_fraction = 1.5: out of range; allowed: 0 (no warnings) or a number in (0, 1)"),
        ("limits:\n  session_stair_descent_steps: 2.5\n", "k.yaml:2: limits.session_stair_descent_steps = 2.5: expected a whole number (1…1000000 steps)"),
        ("limits:\n  rearm: never\n", "k.yaml:2: limits.rearm = never: unknown value; allowed: acknowledge | cooldown"),
        ("limits: 5\n", "k.yaml:1: limits = 5: expected a mapping of keys"),
    ])
    func badValuesNameFileLineKeyValueAndWhatIsAllowed(text: String, message: String) {
        #expect {
            try Configuration(yaml: text, source: "k.yaml")
        } throws: { error in
            "\(error)" == message
        }
    }

    @Test func invalidYAMLNamesTheLine() {
        #expect {
            try Configuration(yaml: "body:\n  mass_kg: [1, 2\n", source: "k.yaml")
        } throws: { error in
            "\(error)".hasPrefix("k.yaml:") && "\(error)".contains("not valid YAML")
        }
    }

    @Test func missingFileIsReported() {
        #expect {
            try Configuration.load(path: "/nonexistent/kneeload.yaml")
        } throws: { error in
            "\(error)" == "/nonexistent/kneeload.yaml: cannot read the file"
        }
    }
}
