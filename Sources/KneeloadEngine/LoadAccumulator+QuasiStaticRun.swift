extension LoadAccumulator {
    /// The running sums `add(loadBWs:at:)` changes during a session, copied out so that a run of loads can be
    /// added in registers (`LoadAccounting.acceptQuietPrefix`) with the same additions in the same order, then
    /// stored back with `store(_:latestT:)`. Only for loads that stay in the current rolling-window bin and the
    /// current local day (`quasiStaticRunEnd`): then adding them moves nothing else.
    struct SessionLoadSums {
        var todayBWs: Double
        var lifetimeBWs: Double
        var sessionBWs: Double
        /// The last-minute window's sum, in `RollingLoadWindows` units.
        var shortWindowUnits: Int64
        /// Units added to the current bin (and so to both windows) by this run.
        var addedUnits: Int64 = 0

        /// What `add(loadBWs:at:)` does to the sums, in its order.
        @inline(__always)
        func adding(_ loadBWs: Double) -> SessionLoadSums {
            let units = RollingLoadWindows.units(loadBWs)
            var next = self
            next.shortWindowUnits &+= units
            next.addedUnits &+= units
            next.todayBWs += loadBWs
            next.lifetimeBWs += loadBWs
            next.sessionBWs += loadBWs
            return next
        }

        /// The last-minute load as `loadLastMinuteBWs` would read it.
        var loadLastMinuteBWs: Double { RollingLoadWindows.bws(units: shortWindowUnits) }
    }

    /// The sums of the current session; `nil` without one.
    var sessionLoadSums: SessionLoadSums? {
        guard let session = currentSession else { return nil }
        return SessionLoadSums(
            todayBWs: today.loadBWs, lifetimeBWs: lifetimeLoadBWs, sessionBWs: session.loadBWs,
            shortWindowUnits: windows.shortSum)
    }

    /// Times `t` with `latestT <= t < quasiStaticRunEnd` are in the current rolling-window bin and before the
    /// next local-day check, so `add(loadBWs:at:)` at such a time only adds to the sums and moves `latestT`.
    /// −∞ when that cannot be said (before the first day check, or windows not at `latestT`'s bin).
    var quasiStaticRunEnd: Double {
        guard latestT >= windows.currentBinStart else { return -.infinity }
        return min(windows.currentBinEnd, dayCheckFromT)
    }

    /// Stores sums computed from `sessionLoadSums` by `adding`, the last load having come at `t`.
    mutating func store(_ sums: SessionLoadSums, latestT t: Double) {
        windows.add(units: sums.addedUnits)
        today.loadBWs = sums.todayBWs
        lifetimeLoadBWs = sums.lifetimeBWs
        currentSession?.loadBWs = sums.sessionBWs
        latestT = t
    }
}
