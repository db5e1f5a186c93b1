extension AlertPolicy {
    /// The complete state of an `AlertPolicy`; restoring it and continuing gives the same events as never having
    /// stopped.
    public struct Snapshot: Codable, Sendable, Equatable {
        public var limits: AlertLimits
        public var kindStates: [KindState]
        public var activeAlerts: [AlertEvent]
        public var latestT: Double?
        public var sessionStartT: Double?
    }

    public var snapshot: Snapshot {
        Snapshot(
            limits: limits, kindStates: kindStates, activeAlerts: activeAlerts, latestT: latestT,
            sessionStartT: sessionStartT)
    }

    /// Restores the state `snapshot` was taken from, checking that it is consistent (it may come from a file).
    public init(restoring snapshot: Snapshot) throws(AlertPolicyError) {
        try self.init(limits: snapshot.limits)
        guard snapshot.kindStates.map(\.kind) == AlertKind.allCases else {
            throw .invalidSnapshot("kindStates must list each kind once, in the order \(AlertKind.allCases)")
        }
        let times = snapshot.kindStates.flatMap { [$0.warning.lastFiredT, $0.alert.lastFiredT] }.compactMap { $0 }
            + snapshot.activeAlerts.map(\.t) + [snapshot.latestT, snapshot.sessionStartT].compactMap { $0 }
        guard times.allSatisfy(\.isFinite) else { throw .invalidSnapshot("a time is not finite") }
        for state in snapshot.kindStates {
            for level in [state.warning, state.alert] where level.phase != .armed && level.lastFiredT == nil {
                throw .invalidSnapshot("\(state.kind.rawValue) is \(level.phase.rawValue) but never fired")
            }
        }
        guard Set(snapshot.activeAlerts.map(\.kind)).count == snapshot.activeAlerts.count else {
            throw .invalidSnapshot("activeAlerts lists a kind twice")
        }
        kindStates = snapshot.kindStates
        activeAlerts = snapshot.activeAlerts
        activeAlerts.reserveCapacity(AlertKind.allCases.count)
        latestT = snapshot.latestT
        sessionStartT = snapshot.sessionStartT
    }
}
