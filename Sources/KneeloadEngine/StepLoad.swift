/// One step of the instrumented leg and the knee load it carried: the foot-contact time, the peak
/// patellofemoral force over the stance (BW) and its impulse over the stance (BW·s). CONTRACTS §3.
public struct StepLoad: Sendable, Hashable {
    public var time: Double
    public var peakBW: Double
    public var impulseBWs: Double

    public init(time: Double, peakBW: Double, impulseBWs: Double) {
        self.time = time
        self.peakBW = peakBW
        self.impulseBWs = impulseBWs
    }
}
