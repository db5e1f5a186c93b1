/// What `StateStore.load()` found.
public enum StateLoadOutcome: Sendable, Equatable {
    /// No state file (first start, or a new state directory): start from nothing.
    case freshStart
    /// The last checkpoint, validated.
    case restored(DaemonState)
    /// The state file could not be used, for `problem`: start from nothing. The file was renamed to `movedTo`
    /// so it can be examined, or stayed where it was (`nil`) when even that failed (`StateStore` logs why).
    case setAside(problem: StateFileProblem, movedTo: String?)

    /// The state to continue from; `nil` means starting fresh.
    public var state: DaemonState? {
        if case .restored(let state) = self { state } else { nil }
    }
}
