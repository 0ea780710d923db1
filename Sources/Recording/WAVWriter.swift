import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes mono 16-bit PCM WAV, streaming: samples go to disk in 64 KiB writes and `finish()` patches the sizes.
///
/// Until `finish()` the header's RIFF and data sizes read 0xFFFFFFFF, the streaming convention that tells readers
/// (gaitpop's `WAVReader`, sox, ffmpeg) to read to the end of the file, so a writer that is killed still leaves a
/// playable file. When a write fails (disk full, I/O error) the file is cut back to whole samples and its header
/// patched to match, so what was written stays playable, and one clear error says how much was kept.
public final class WAVWriter {
    public let path: String
    public let sampleRateHz: Int
    /// Samples accepted so far (written or buffered).
    public private(set) var samplesWritten = 0
    public var durationSeconds: Double { Double(samplesWritten) / Double(sampleRateHz) }

    private let out: BufferedFileOutput
    private var failed: ImportError?
    private var finished = false
    private var scratch: [Int16] = []

    static let headerBytes = 44
    /// The RIFF size field (36 + data bytes) must fit in 32 bits; kept even, since samples are 2 bytes.
    static let maxDataBytes = (Int(UInt32.max) - 36) & ~1

    /// Creates (truncates) `path` and writes the header.
    public convenience init(path: String, sampleRateHz: Int) throws {
        try self.init(path: path, sampleRateHz: sampleRateHz, write: { Glibc.write($0, $1, $2) })
    }

    /// `write` is injectable so tests can make the disk fill up mid-file.
    init(path: String, sampleRateHz: Int, write: @escaping (Int32, UnsafeRawPointer, Int) -> Int) throws {
        guard sampleRateHz > 0 && sampleRateHz <= Int(UInt32.max / 2) else {
            throw ImportError.cannotCreate(path: path, reason: "sample rate \(sampleRateHz) Hz is not valid")
        }
        self.path = path
        self.sampleRateHz = sampleRateHz
        out = try BufferedFileOutput(path: path, write: write)
        out.buffer.append(contentsOf: Self.header(sampleRateHz: sampleRateHz, dataBytes: nil))
        if let e = out.flush() {
            finished = true
            out.close()
            throw out.error(e, kept: "nothing was written")
        }
    }

    deinit {
        if !finished { try? finish() }
    }

    /// Appends samples; writes to disk whenever 64 KiB are buffered.
    public func append(_ samples: UnsafeBufferPointer<Int16>) throws {
        precondition(!finished || failed != nil, "WAVWriter.append after finish()")
        if let f = failed { throw f }
        guard (samplesWritten + samples.count) * 2 <= Self.maxDataBytes else {
            throw fail(reason: "a WAV file holds at most 4 GiB of audio")
        }
        var from = 0
        while from < samples.count {
            let n = min(samples.count - from, BufferedFileOutput.flushThreshold / 2)
            let block = UnsafeBufferPointer(rebasing: samples[from..<(from + n)])
            #if _endian(little)
            out.buffer.append(contentsOf: UnsafeRawBufferPointer(block))
            #else
            for s in block {
                let v = UInt16(bitPattern: s)
                out.buffer.append(UInt8(truncatingIfNeeded: v))
                out.buffer.append(UInt8(truncatingIfNeeded: v >> 8))
            }
            #endif
            samplesWritten += n
            from += n
            if out.buffer.count >= BufferedFileOutput.flushThreshold, let e = out.flush() { throw fail(errno: e) }
        }
    }

    public func append(_ samples: [Int16]) throws {
        try samples.withUnsafeBufferPointer { try append($0) }
    }

    /// Appends Float samples in −1…1 (what the microphone stream and the simulator produce), scaled by 32768 — the
    /// inverse of `WAVReader` and of the sensor's own Int16 → Float — so 16-bit audio passes through unchanged.
    /// Values beyond full scale are clipped to −32768…32767 and NaN is written as 0.
    public func append(_ samples: UnsafeBufferPointer<Float>) throws {
        if scratch.isEmpty { scratch = [Int16](repeating: 0, count: 4096) }
        var from = 0
        while from < samples.count {
            let n = min(samples.count - from, scratch.count)
            for k in 0..<n {
                let x = samples[from + k]
                scratch[k] = x.isNaN ? 0 : Int16(min(32767, max(-32768, (x * 32768).rounded())))
            }
            try scratch.withUnsafeBufferPointer { try append(UnsafeBufferPointer(rebasing: $0[0..<n])) }
            from += n
        }
    }

    /// Writes what is buffered, patches the RIFF and data sizes and closes. Safe to call twice.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        defer { out.close() }
        if let f = failed { throw f }
        if let e = out.flush() { throw fail(errno: e) }
        if let e = patchSizes() {
            throw out.error(e, kept: "the audio is written but its header sizes could not be set")
        }
        out.sync()
    }

    // MARK: - failure

    private func fail(errno e: Int32) -> ImportError {
        let err = out.error(e, kept: keptText())
        _ = patchSizes()
        failed = err
        return err
    }

    private func fail(reason: String) -> ImportError {
        if let e = out.flush() { return fail(errno: e) }
        let err = ImportError.writeFailed(path: path, reason: reason, kept: keptText())
        _ = patchSizes()
        failed = err
        return err
    }

    private var dataBytesOnDisk: Int { max(0, out.writtenBytes - Self.headerBytes) }

    private func keptText() -> String {
        let seconds = Double(dataBytesOnDisk / 2) / Double(sampleRateHz)
        return "the first \(String(format: "%.2f", seconds)) s are kept and playable"
    }

    private func patchSizes() -> Int32? {
        let data = UInt32(dataBytesOnDisk)
        if let e = out.overwrite(Self.le32(36 + data), at: 4) { return e }
        return out.overwrite(Self.le32(data), at: 40)
    }

    // MARK: - header

    /// The 44-byte canonical header; `dataBytes` nil writes the 0xFFFFFFFF "size unknown" sizes.
    static func header(sampleRateHz: Int, dataBytes: UInt32?) -> [UInt8] {
        let rate = UInt32(sampleRateHz)
        var h: [UInt8] = []
        h.reserveCapacity(headerBytes)
        h += Array("RIFF".utf8) + le32(dataBytes.map { 36 + $0 } ?? 0xFFFF_FFFF) + Array("WAVE".utf8)
        h += Array("fmt ".utf8) + le32(16) + le16(1) + le16(1) + le32(rate) + le32(rate * 2) + le16(2) + le16(16)
        h += Array("data".utf8) + le32(dataBytes ?? 0xFFFF_FFFF)
        return h
    }

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
}
