#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The knee-angle-dependent parts of the sagittal-plane patellofemoral joint model
/// (shared/research/biomech.md §1.1), as used by aaronsfox/pfjrf-methods `calc_PFJRF.py`.
public enum PatellofemoralModel {
    /// Quadriceps moment arm in metres at knee flexion `theta` (degrees):
    /// MA(θ) = 8e-8·θ³ − 1.3e-5·θ² + 2.8e-4·θ + 0.046, the lever arm "most commonly used" per the review of
    /// Nunes et al. 2018 (biomech.md §1.1).
    @inlinable
    public static func momentArm(kneeFlexDeg theta: Double) -> Double {
        ((8e-8 * theta - 1.3e-5) * theta + 2.8e-4) * theta + 0.046
    }

    /// Ratio of patellofemoral reaction force to quadriceps force, van Eijden et al. 1986 (biomech.md §1.1):
    /// k(θ) = (−3.84e-5·θ² + 1.47e-3·θ + 0.462) / (−6.98e-7·θ³ + 1.55e-4·θ² − 1.62e-2·θ + 1).
    @inlinable
    public static func forceRatio(kneeFlexDeg theta: Double) -> Double {
        let numerator = (-3.84e-5 * theta + 1.47e-3) * theta + 0.462
        let denominator = ((-6.98e-7 * theta + 1.55e-4) * theta - 1.62e-2) * theta + 1
        return numerator / denominator
    }
}
