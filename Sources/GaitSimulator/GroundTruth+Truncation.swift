extension GroundTruth {
    /// The truth of the first `seconds` of the run: the steps with foot contact up to then, the segments
    /// clipped to it, and the counts of what is left.
    public func truncated(to seconds: Double) -> GroundTruth {
        var copy = self
        copy.durationS = min(durationS, seconds)
        copy.steps = steps.filter { $0.tS <= seconds }
        copy.segments = segments.compactMap { segment in
            guard segment.startS < seconds else { return nil }
            var clipped = segment
            clipped.endS = min(segment.endS, seconds)
            return clipped
        }
        copy.counts = Self.counts(of: copy.steps)
        return copy
    }
}
