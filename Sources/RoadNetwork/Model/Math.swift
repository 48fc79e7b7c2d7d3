#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Thin wrappers so the rest of the module does not depend on which C library provides libm.
@inline(__always) func cosine(_ x: Double) -> Double { cos(x) }
@inline(__always) func sine(_ x: Double) -> Double { sin(x) }
@inline(__always) func sinHalf(_ x: Double) -> Double { sin(x / 2) }
@inline(__always) func arcsine(_ x: Double) -> Double { asin(x) }
@inline(__always) func arctangent2(_ y: Double, _ x: Double) -> Double { atan2(y, x) }
