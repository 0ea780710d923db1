import Foundation

/// The detector's bounded memory of the recent past: the band-limited signal sample by sample, and per hop the
/// mean-square energy of each analysis stream and whether the raw input clipped. Allocated once at construction;
/// rings indexed by absolute sample or hop numbers, so nothing is ever moved or reallocated.
final class SignalHistory {
    /// Analysis streams: the whole detection band, its three sub-bands, and the heel-thump band.
    enum Stream {
        static let band = 0, low = 1, mid = 2, high = 3, thump = 4
        static let count = 5
    }

    let sampleCapacity: Int
    let hopCapacity: Int
    private let sampleMask: Int
    private let hopMask: Int
    private let samples: UnsafeMutablePointer<Float>
    /// The heel-thump band's signal (40–250 Hz), where low-pitched snaps ring too: their onsets are located on it.
    private let bassSamples: UnsafeMutablePointer<Float>
    private let energies: UnsafeMutablePointer<Double>
    private let clips: UnsafeMutablePointer<UInt8>

    init(minSamples: Int, minHops: Int) {
        sampleCapacity = Self.powerOfTwo(atLeast: minSamples)
        hopCapacity = Self.powerOfTwo(atLeast: minHops)
        sampleMask = sampleCapacity - 1
        hopMask = hopCapacity - 1
        samples = .allocate(capacity: sampleCapacity)
        samples.initialize(repeating: 0, count: sampleCapacity)
        bassSamples = .allocate(capacity: sampleCapacity)
        bassSamples.initialize(repeating: 0, count: sampleCapacity)
        energies = .allocate(capacity: hopCapacity * Stream.count)
        energies.initialize(repeating: 0, count: hopCapacity * Stream.count)
        clips = .allocate(capacity: hopCapacity)
        clips.initialize(repeating: 0, count: hopCapacity)
    }

    deinit {
        samples.deallocate()
        bassSamples.deallocate()
        energies.deallocate()
        clips.deallocate()
    }

    static func powerOfTwo(atLeast n: Int) -> Int {
        var c = 1
        while c < n { c <<= 1 }
        return c
    }

    /// Bytes held (constant for the detector's life).
    var bytes: Int { sampleCapacity * 8 + hopCapacity * (Stream.count * 8 + 1) }

    @inline(__always) func setSample(_ i: Int, _ v: Float) { samples[i & sampleMask] = v }
    @inline(__always) func sample(_ i: Int) -> Float { samples[i & sampleMask] }
    @inline(__always) func setBassSample(_ i: Int, _ v: Float) { bassSamples[i & sampleMask] = v }
    @inline(__always) func bassSample(_ i: Int) -> Float { bassSamples[i & sampleMask] }

    @inline(__always) func setEnergy(_ s: Int, hop h: Int, _ e: Double) { energies[s &* hopCapacity &+ (h & hopMask)] = e }
    @inline(__always) func energy(_ s: Int, hop h: Int) -> Double { energies[s &* hopCapacity &+ (h & hopMask)] }

    @inline(__always) func setClipped(hop h: Int, _ c: Bool) { clips[h & hopMask] = c ? 1 : 0 }
    @inline(__always) func clipped(hop h: Int) -> Bool { clips[h & hopMask] != 0 }

    /// Mean of stream `s` over hops `from...to` (inclusive).
    @inline(__always) func meanEnergy(_ s: Int, from a: Int, to b: Int) -> Double {
        var sum = 0.0
        var h = a
        while h <= b { sum += energy(s, hop: h); h += 1 }
        return sum / Double(b - a + 1)
    }
}
