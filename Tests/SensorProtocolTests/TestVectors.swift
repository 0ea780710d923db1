import Foundation
@testable import SensorProtocol

/// The shared test vectors of Firmware-Protocol/vectors (format described in expected.txt), parsed once.
struct TestVector {
    var file: String
    var bytes: [UInt8]
    var frames: [Frame] = []
    /// Field lines of each frame, by frame position.
    var fields: [Int: [(String, String)]] = [:]
    var counters = DecoderCounters()
    var canonical = true

    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Firmware-Protocol/vectors")

    static let all: [TestVector] = {
        let text = (try? String(contentsOf: directory.appendingPathComponent("expected.txt"), encoding: .utf8)) ?? ""
        var out: [TestVector] = []
        var cur: TestVector?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let rest = parts.count > 1 ? parts[1] : ""
            switch parts[0] {
            case "vector":
                let bytes = (try? Data(contentsOf: directory.appendingPathComponent(rest))).map { [UInt8]($0) } ?? []
                cur = TestVector(file: rest, bytes: bytes)
            case "noncanonical": cur?.canonical = false
            case "frame":
                let f = rest.split(separator: " ").map(String.init)
                cur?.frames.append(Frame(type: UInt8(f[0], radix: 16)!, seq: UInt16(f[1])!, payload: hex(f[2])))
            case "field":
                let kv = rest.split(separator: "=", maxSplits: 1).map(String.init)
                let idx = (cur?.frames.count ?? 1) - 1
                cur?.fields[idx, default: []].append((kv[0], kv.count > 1 ? kv[1] : ""))
            case "counters":
                var c = DecoderCounters()
                for kv in rest.split(separator: " ") {
                    let p = kv.split(separator: "=")
                    let v = Int(p[1])!
                    switch p[0] {
                    case "frames": c.frames = v
                    case "crc_errors": c.crcErrors = v
                    case "malformed": c.malformed = v
                    case "oversize": c.oversize = v
                    case "bad_version": c.badVersion = v
                    case "unknown_type": c.unknownType = v
                    case "seq_gaps": c.seqGaps = v
                    case "lost_frames": c.lostFrames = v
                    case "seq_restarts": c.seqRestarts = v
                    case "truncated": c.truncated = v
                    case "discarded_bytes": c.discardedBytes = v
                    default: break
                    }
                }
                cur?.counters = c
            case "end":
                if let c = cur { out.append(c) }
                cur = nil
            default: break
            }
        }
        return out
    }()

    static func hex(_ s: String) -> [UInt8] {
        if s == "-" { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(s.count / 2)
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: 2)
            out.append(UInt8(s[i..<j], radix: 16)!)
            i = j
        }
        return out
    }
}

/// Counters without the byte total (the manifest does not list it).
func protocolCounters(_ c: DecoderCounters) -> DecoderCounters {
    var x = c
    x.bytes = 0
    return x
}
