/// Faults the simulated bus injects for one device address. Several may be combined.
public struct DeviceFaults: Sendable, Hashable {
    /// The device never acknowledges its address (absent, unpowered, wrong address strap).
    public var absent = false
    /// Fraction of transactions, 0...1, that fail with EIO after the address was acknowledged.
    public var transferFailureRate = 0.0
    /// From this moment the chip's outputs stop changing (a hung sensor): it answers, but with stale data.
    public var frozenFrom: Duration?
    /// The value the identity register reads instead of the real one (a different chip at the address).
    public var identityOverride: IdentityOverride?
    /// Windows in which the device does not acknowledge (a loose connector). When a window ends the
    /// chip has lost power, so it comes back with its reset values unless `keepsStateWhenReturning`.
    public var vanishings: [Range<Duration>] = []
    public var keepsStateWhenReturning = false
    /// Moments at which the chip's FIFO is overfilled.
    public var fifoOverflows: [Duration] = []

    public struct IdentityOverride: Sendable, Hashable {
        public var register: UInt8
        public var value: UInt8
        public init(register: UInt8, value: UInt8) {
            self.register = register
            self.value = value
        }
    }

    public init(
        absent: Bool = false, transferFailureRate: Double = 0, frozenFrom: Duration? = nil,
        identityOverride: IdentityOverride? = nil, vanishings: [Range<Duration>] = [],
        keepsStateWhenReturning: Bool = false, fifoOverflows: [Duration] = []
    ) {
        self.absent = absent
        self.transferFailureRate = transferFailureRate
        self.frozenFrom = frozenFrom
        self.identityOverride = identityOverride
        self.vanishings = vanishings
        self.keepsStateWhenReturning = keepsStateWhenReturning
        self.fifoOverflows = fifoOverflows
    }

    public static let none = DeviceFaults()

    func isVanished(at time: Duration) -> Bool {
        vanishings.contains { $0.contains(time) }
    }
}
