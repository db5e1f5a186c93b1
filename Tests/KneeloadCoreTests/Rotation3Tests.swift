import KneeloadCore
import Testing

@Suite struct Rotation3Tests {
    func close(_ a: Vector3, _ b: Vector3, _ tolerance: Double = 1e-9) -> Bool { (a - b).norm < tolerance }

    @Test func quarterTurnsFollowTheRightHandRule() {
        #expect(close(Rotation3.about(.z, degrees: 90) * Vector3(1, 0, 0), Vector3(0, 1, 0)))
        #expect(close(Rotation3.about(.x, degrees: 90) * Vector3(0, 1, 0), Vector3(0, 0, 1)))
        #expect(close(Rotation3.about(.y, degrees: 90) * Vector3(0, 0, 1), Vector3(1, 0, 0)))
    }

    @Test func transposeInverts() {
        let r = Rotation3.rollPitchYaw(rollDeg: 12, pitchDeg: -31, yawDeg: 40)
        let v = Vector3(0.2, -0.7, 1.3)
        #expect(close(r.transposed * (r * v), v))
        #expect(abs((r * v).norm - v.norm) < 1e-12)
    }

    @Test(arguments: [Vector3(0.9, 0.3, -0.1), Vector3(-1, 0, 0), Vector3(1, 0, 0), Vector3(0, 0, 1)])
    func aligningTurnsOneDirectionOntoAnother(from: Vector3) {
        let target = Vector3(1, 0, 0)
        let r = Rotation3.aligning(from, to: target)
        #expect(close(r * (from * (1 / from.norm)), target))
        #expect(abs((r * Vector3(0.3, 0.4, 0.5)).norm - Vector3(0.3, 0.4, 0.5).norm) < 1e-12)
    }
}
