#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Thin wrappers so value types in this module need not import the C library in every file.
@inlinable func _log(_ x: Double) -> Double { log(x) }
@inlinable func _cos(_ x: Double) -> Double { cos(x) }
