import Simulation
import XCTest

/// A streaming consumer as the verifier sees it: feed it a chunk, take what it produced; `finish` flushes the end.
///
/// Chunks arrive as `ArraySlice`s whose `startIndex` is not 0 and whose base array holds junk before and after the
/// slice, so a consumer that indexes from 0, or reads past its chunk, produces wrong output and is caught.
public struct StreamConsumer<Element, Output> {
    public var feed: (ArraySlice<Element>) -> [Output]
    public var finish: () -> [Output]

    public init(feed: @escaping (ArraySlice<Element>) -> [Output], finish: @escaping () -> [Output]) {
        self.feed = feed
        self.finish = finish
    }
}

/// One way the verifier split the input.
public enum ChunkMode: Equatable, CustomStringConvertible, Sendable {
    case whole
    case oneAtATime
    case randomChunks(run: Int, seed: UInt64)

    public var description: String {
        switch self {
        case .whole: "whole input at once"
        case .oneAtATime: "one element at a time (junk around each)"
        case .randomChunks(let r, let s): "random chunks run \(r) (seed \(s), junk around each)"
        }
    }
}

/// What went wrong in one mode: more output than the reference, less, or a different value at some position.
public enum ChunkInvarianceFailure: CustomStringConvertible {
    case overProduction(mode: ChunkMode, extra: Int, firstExtra: String)
    case underProduction(mode: ChunkMode, missing: Int, firstMissing: String)
    case wrongProduction(mode: ChunkMode, index: Int, expected: String, got: String)
    case nothingProduced

    public var description: String {
        switch self {
        case .overProduction(let m, let n, let first): "\(m): \(n) output(s) too many, first extra \(first)"
        case .underProduction(let m, let n, let first): "\(m): \(n) output(s) missing, first missing \(first)"
        case .wrongProduction(let m, let i, let e, let g): "\(m): output \(i) is \(g), expected \(e)"
        case .nothingProduced: "the reference run produced nothing, so chunking could not be tested"
        }
    }
}

/// Feeds the same input three ways and checks that what comes out does not depend on how the input was split —
/// the test swift-nio's `ByteToMessageDecoderVerifier` runs on every decoder, made generic so the frame decoder,
/// the streaming gait analyzer and the pop detector share it:
///
/// 1. the whole input in one call (the reference, unless `expected` is given);
/// 2. one element per call, each inside a base array with `junk` before and after it;
/// 3. `randomRuns` runs of random chunk sizes in 1…`maxChunk` (seeded, so a failure can be replayed), junk around
///    each chunk.
///
/// Each mode uses a fresh consumer from `make`. A mode that produces more, less, or different output than the
/// reference is a failure; a reference that produced nothing is a failure too (a verifier that saw no output
/// proves nothing).
public struct ChunkInvarianceVerifier<Element, Output> {
    public var junk: Element
    /// How many junk elements go on each side of a chunk.
    public var junkCount = 3
    public var randomRuns = 5
    public var maxChunk: Int
    public var seed: UInt64 = 0x6761_6974
    /// Skip the one-element-per-call mode (for inputs so long that it would take minutes in a debug build).
    public var oneAtATime = true
    /// Output equality; `==` for Equatable outputs, or a tolerance where a block start time may differ in its
    /// last bit.
    public var equivalent: (Output, Output) -> Bool

    public init(junk: Element, maxChunk: Int, equivalent: @escaping (Output, Output) -> Bool) {
        self.junk = junk
        self.maxChunk = max(1, maxChunk)
        self.equivalent = equivalent
    }

    /// Runs every mode; returns the failures (empty = chunk-invariant).
    public func failures(_ input: [Element], expected: [Output]? = nil,
                         make: () -> StreamConsumer<Element, Output>) -> [ChunkInvarianceFailure] {
        var failures: [ChunkInvarianceFailure] = []
        let whole = run(input, mode: .whole, make())
        let reference = expected ?? whole
        if reference.isEmpty { failures.append(.nothingProduced) }
        if expected != nil { failures += compare(whole, reference, mode: .whole) }
        if oneAtATime { failures += compare(run(input, mode: .oneAtATime, make()), reference, mode: .oneAtATime) }
        for r in 0..<randomRuns {
            let mode = ChunkMode.randomChunks(run: r, seed: seed &+ UInt64(r))
            failures += compare(run(input, mode: mode, make()), reference, mode: mode)
        }
        return failures
    }

    /// `failures` as XCTest failures at the caller's line.
    public func verify(_ input: [Element], expected: [Output]? = nil, _ message: String = "",
                       file: StaticString = #filePath, line: UInt = #line,
                       make: () -> StreamConsumer<Element, Output>) {
        for f in failures(input, expected: expected, make: make) {
            XCTFail("\(message.isEmpty ? "" : message + ": ")\(f)", file: file, line: line)
        }
    }

    private func run(_ input: [Element], mode: ChunkMode, _ consumer: StreamConsumer<Element, Output>) -> [Output] {
        var out: [Output] = []
        var rng = SplitMixRandom(seed: { if case .randomChunks(_, let s) = mode { return s } else { return 0 } }())
        var i = 0
        while i < input.count {
            let n: Int
            switch mode {
            case .whole: n = input.count
            case .oneAtATime: n = 1
            case .randomChunks: n = min(Int(rng.next() % UInt64(maxChunk)) + 1, input.count - i)
            }
            if mode == .whole {
                out += consumer.feed(input[...])
            } else {
                var padded = [Element](repeating: junk, count: junkCount)
                padded.reserveCapacity(n + 2 * junkCount)
                padded += input[i..<(i + n)]
                padded += repeatElement(junk, count: junkCount)
                out += consumer.feed(padded[junkCount..<(junkCount + n)])
            }
            i += n
        }
        out += consumer.finish()
        return out
    }

    private func compare(_ got: [Output], _ want: [Output], mode: ChunkMode) -> [ChunkInvarianceFailure] {
        for (k, (g, w)) in zip(got, want).enumerated() where !equivalent(g, w) {
            return [.wrongProduction(mode: mode, index: k, expected: "\(w)", got: "\(g)")]
        }
        if got.count > want.count {
            return [.overProduction(mode: mode, extra: got.count - want.count, firstExtra: "\(got[want.count])")]
        }
        if got.count < want.count {
            return [.underProduction(mode: mode, missing: want.count - got.count, firstMissing: "\(want[got.count])")]
        }
        return []
    }
}

extension ChunkInvarianceVerifier where Output: Equatable {
    public init(junk: Element, maxChunk: Int) {
        self.init(junk: junk, maxChunk: maxChunk, equivalent: ==)
    }
}

/// The seeded generator every chunking is replayed with: the simulator's SplitMix64, not a second copy of it.
public typealias SplitMixRandom = SplitMix64
