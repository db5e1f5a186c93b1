/// The sine of angles between 0 and π from its Taylor series, inline.
///
/// The load model takes a sine for every stance sample of every step (the knee's half angle, and the
/// running ground-reaction pulse) and for every sample of quasi-static load. libm's `sin` handles any
/// argument, costs a call of 70–90 instructions, and makes the caller save its floating-point registers
/// around it; these angles never leave [0, π]. Up to π/2 the series through x²¹ is truncated at
/// x²³/23! < 1.3e-18, and evaluated as x + x³·p(x²) it stays within 2 units in the last place of libm's
/// (1 below 0.96 rad, the largest half knee angle of the model): the loads it feeds move by ~1e-16 of
/// themselves. Beyond π/2 it uses sin x = sin(π − x).
@usableFromInline
enum SineSeries {
    /// sin x for 0 ≤ x ≤ π/2 (and, less accurately, a little beyond). The coefficients are (−1)ᵏ/(2k+1)!,
    /// k = 10…1, correctly rounded.
    @inlinable @inline(__always)
    static func sine(upToQuarterTurn x: Double) -> Double {
        let x2 = x * x
        var p = 1.9572941063391263e-20
        p = p * x2 - 8.22063524662433e-18
        p = p * x2 + 2.8114572543455206e-15
        p = p * x2 - 7.647163731819816e-13
        p = p * x2 + 1.6059043836821613e-10
        p = p * x2 - 2.505210838544172e-08
        p = p * x2 + 2.7557319223985893e-06
        p = p * x2 - 0.0001984126984126984
        p = p * x2 + 0.008333333333333333
        p = p * x2 - 0.16666666666666666
        return x + (x * x2) * p
    }

    /// sin x for 0 ≤ x ≤ π.
    @inlinable @inline(__always)
    static func sine(upToHalfTurn x: Double) -> Double {
        sine(upToQuarterTurn: x > Double.pi / 2 ? Double.pi - x : x)
    }
}
