import GPProtoReference
@testable import SensorProtocol

/// The firmware's C reference decoder, driven from Swift, so tests can compare both implementations byte for byte.
final class ReferenceDecoder {
    private var d = UnsafeMutablePointer<gp_decoder>.allocate(capacity: 1)
    var frames: [Frame] = []

    init() { gp_decoder_reset(d) }
    deinit { d.deallocate() }

    func feed(_ bytes: [UInt8]) {
        let ctx = Unmanaged.passUnretained(self).toOpaque()
        bytes.withUnsafeBufferPointer { b in
            _ = gp_decoder_feed(d, b.baseAddress, b.count, { ctx, f in
                guard let ctx, let f else { return }
                let me = Unmanaged<ReferenceDecoder>.fromOpaque(ctx).takeUnretainedValue()
                let payload = Array(UnsafeBufferPointer(start: f.pointee.payload, count: Int(f.pointee.length)))
                me.frames.append(Frame(type: f.pointee.type, seq: f.pointee.seq, payload: payload))
            }, ctx)
        }
    }

    func finish() { gp_decoder_finish(d) }

    var counters: DecoderCounters {
        let c = d.pointee.counters
        var x = DecoderCounters()
        x.frames = Int(c.frames); x.crcErrors = Int(c.crc_errors); x.malformed = Int(c.malformed)
        x.oversize = Int(c.oversize); x.badVersion = Int(c.bad_version); x.unknownType = Int(c.unknown_type)
        x.seqGaps = Int(c.seq_gaps); x.lostFrames = Int(c.lost_frames); x.seqRestarts = Int(c.seq_restarts)
        x.truncated = Int(c.truncated); x.discardedBytes = Int(c.discarded_bytes)
        return x
    }

    /// The C encoder's bytes for one frame.
    static func encode(type: UInt8, seq: UInt16, payload: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(GP_MAX_WIRE))
        let n = payload.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                gp_encode_frame(type, seq, p.baseAddress, p.count, o.baseAddress, o.count)
            }
        }
        return Array(out[0..<n])
    }
}
