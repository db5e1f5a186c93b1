import KneeloadCore
import Testing

@Suite struct AxisRemapTests {
    @Test func identityLeavesVectorsAlone() throws {
        let remap = try AxisRemap(parsing: "x,y,z")
        #expect(remap == .identity)
        #expect(remap.apply(Vector3(1, 2, 3)) == Vector3(1, 2, 3))
    }

    @Test func signedPermutationMapsChipAxesIntoFrame() throws {
        let remap = try AxisRemap(parsing: "-y, z, -x")
        #expect(remap.apply(Vector3(1, 2, 3)) == Vector3(-2, 3, -1))
        #expect(remap.description == "-y,z,-x")
    }

    @Test func unapplyInvertsApply() throws {
        for text in ["x,y,z", "-y,z,-x", "z,x,y", "y,-x,z", "-x,-y,z", "x,-z,y"] {
            let remap = try AxisRemap(parsing: text)
            let v = Vector3(0.3, -1.7, 2.9)
            #expect(remap.unapply(remap.apply(v)) == v, "\(text)")
            #expect(remap.apply(remap.unapply(v)) == v, "\(text)")
        }
    }

    @Test func mirrorImageIsRejected() {
        #expect(throws: AxisRemap.Problem.mirrored("-x,y,z")) { try AxisRemap(parsing: "-x,y,z") }
        #expect(throws: AxisRemap.Problem.mirrored("y,x,z")) { try AxisRemap(parsing: "y,x,z") }
    }

    @Test func malformedTextIsRejectedWithTheText() {
        #expect(throws: AxisRemap.Problem.syntax("x,y")) { try AxisRemap(parsing: "x,y") }
        #expect(throws: AxisRemap.Problem.syntax("x,y,w")) { try AxisRemap(parsing: "x,y,w") }
        #expect(throws: AxisRemap.Problem.repeatedAxis("x,x,z")) { try AxisRemap(parsing: "x,x,z") }
        #expect("\(AxisRemap.Problem.mirrored("-x,y,z"))".contains("mirror"))
    }
}
