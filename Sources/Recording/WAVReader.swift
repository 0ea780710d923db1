import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Streams the first channel of a WAV file as Float samples in −1…1, a block at a time with a fixed buffer.
///
/// Contact-microphone recordings from other devices arrive as WAV files of every kind, often damaged: chunks the
/// reader does not need (LIST, fact, bext, …) are skipped, odd-sized chunks have their pad byte honoured, a data
/// size of 0 or 0xFFFFFFFF (what streaming writers leave when they are stopped before patching the header; also RF64)
/// means "to the end of the file", and a file cut short is read up to the cut, dropping a partial last frame, with
/// a warning. Multi-channel files give their first channel, which is the contact microphone on the recorders we know.
/// Float samples are clamped to −1…1 and NaN reads as 0, so one bad value cannot poison the detectors downstream.
public final class WAVReader {
    public let path: String
    public let format: WAVFormat
    public var sampleRateHz: Int { format.sampleRateHz }
    public var channels: Int { format.channels }
    public var bitsPerSample: Int { format.bitsPerSample }
    /// e.g. "PCM 16-bit, mono, 16000 Hz".
    public var formatDescription: String { format.description }
    /// Frames the file holds (the declared size, or what is there when that is less or unknown); nil when it cannot
    /// be known in advance (a stream read from a pipe).
    public let frameCount: Int?
    public private(set) var framesRead = 0
    /// One line per problem found (a cut-short file).
    public private(set) var warnings: [String] = []

    private let file: UnsafeMutablePointer<FILE>
    private let raw: UnsafeMutableRawPointer
    private let rawCapacity: Int
    private var rawStart = 0, rawEnd = 0
    /// Data bytes not yet read from the file; nil reads to the end of the file.
    private var dataRemaining: Int?
    private var dataBytesRead = 0
    private let declaredFrames: Int?
    private var atEnd = false
    /// The cut was already reported from the size fields.
    private var reportedCut = false

    public init(path: String) throws {
        self.path = path
        guard let f = fopen(path, "rb") else {
            throw ImportError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        let header: Header
        do {
            header = try Self.readHeader(f, path: path)
        } catch {
            fclose(f)
            throw error
        }
        file = f
        format = header.format
        let frameBytes = header.format.bytesPerFrame
        let size = header.dataSize
        let bounded = size != 0 && size != 0xFFFF_FFFF
        dataRemaining = bounded ? Int(size) : nil
        declaredFrames = bounded ? Int(size) / frameBytes : nil
        let available = header.fileSize.map { max(0, $0 - header.dataOffset) / frameBytes }
        if let d = declaredFrames {
            frameCount = available.map { min(d, $0) } ?? d
        } else {
            frameCount = available
        }
        // The size fields are checked against the file now, so the warning exists even if nobody reads to the end.
        var early: [String] = []
        if let d = declaredFrames, let a = available, a < d {
            early.append("the data chunk declares \(d) frames but the file ends after \(a); read up to the cut")
        }
        rawCapacity = max(frameBytes, (1 << 16) / frameBytes * frameBytes)
        raw = .allocate(byteCount: rawCapacity, alignment: 8)
        warnings = early
        reportedCut = !early.isEmpty
    }

    deinit {
        fclose(file)
        raw.deallocate()
    }

    /// Reads up to `maxFrames` frames of the first channel into `buffer[0..<n]` and returns n; 0 at the end.
    /// `buffer` grows to `maxFrames` once and is then reused.
    public func read(into buffer: inout [Float], maxFrames: Int) throws -> Int {
        precondition(maxFrames > 0, "maxFrames must be positive")
        if buffer.count < maxFrames { buffer.append(contentsOf: repeatElement(0, count: maxFrames - buffer.count)) }
        let frameBytes = format.bytesPerFrame
        var produced = 0
        try buffer.withUnsafeMutableBufferPointer { out in
            while produced < maxFrames {
                let whole = (rawEnd - rawStart) / frameBytes
                if whole > 0 {
                    let n = min(whole, maxFrames - produced)
                    decode(raw + rawStart, frames: n, into: out.baseAddress! + produced)
                    rawStart += n * frameBytes
                    produced += n
                    continue
                }
                if atEnd { break }
                try refill()
            }
        }
        framesRead += produced
        return produced
    }

    /// Moves a partial frame to the front of the raw buffer and reads more data after it.
    private func refill() throws {
        if rawStart > 0 {
            if rawEnd > rawStart { memmove(raw, raw + rawStart, rawEnd - rawStart) }
            rawEnd -= rawStart
            rawStart = 0
        }
        let want = min(rawCapacity - rawEnd, dataRemaining ?? Int.max)
        guard want > 0 else { atEnd = true; return }
        let got = fread(raw + rawEnd, 1, want, file)
        if got == 0 {
            if ferror(file) != 0 { throw ImportError.readFailed(path: path, reason: String(cString: strerror(errno))) }
            atEnd = true
            if let left = dataRemaining, left > 0, let declared = declaredFrames, !reportedCut {
                let had = dataBytesRead / format.bytesPerFrame
                warnings.append("the data chunk declares \(declared) frames but the file ends after \(had); "
                    + "read up to the cut")
            }
            return
        }
        rawEnd += got
        dataBytesRead += got
        if let left = dataRemaining { dataRemaining = left - got }
    }

    /// First channel of `frames` frames at `src`, as Float in −1…1.
    private func decode(_ src: UnsafeMutableRawPointer, frames: Int, into dst: UnsafeMutablePointer<Float>) {
        let stride = format.bytesPerFrame
        switch (format.encoding, format.bytesPerSample) {
        case (.pcm, 1):
            for k in 0..<frames { dst[k] = (Float(src.load(fromByteOffset: k * stride, as: UInt8.self)) - 128) / 128 }
        case (.pcm, 2):
            for k in 0..<frames {
                dst[k] = Float(Int16(littleEndian: src.loadUnaligned(fromByteOffset: k * stride, as: Int16.self)))
                    / 32768
            }
        case (.pcm, 3):
            for k in 0..<frames {
                let p = src + k * stride
                let u = UInt32(p.load(as: UInt8.self)) | UInt32(p.load(fromByteOffset: 1, as: UInt8.self)) << 8
                    | UInt32(p.load(fromByteOffset: 2, as: UInt8.self)) << 16
                dst[k] = Float(Int32(bitPattern: u << 8) >> 8) / 8_388_608
            }
        case (.pcm, _):
            for k in 0..<frames {
                dst[k] = Float(Double(Int32(littleEndian: src.loadUnaligned(fromByteOffset: k * stride,
                                                                            as: Int32.self))) / 2_147_483_648)
            }
        case (.float, 4):
            for k in 0..<frames {
                let bits = UInt32(littleEndian: src.loadUnaligned(fromByteOffset: k * stride, as: UInt32.self))
                dst[k] = Self.bounded(Float(bitPattern: bits))
            }
        case (.float, _):
            for k in 0..<frames {
                let bits = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: k * stride, as: UInt64.self))
                dst[k] = Self.bounded(Float(Double(bitPattern: bits)))
            }
        }
    }

    private static func bounded(_ x: Float) -> Float { x.isNaN ? 0 : min(1, max(-1, x)) }

    // MARK: - header

    struct Header {
        var format: WAVFormat
        var dataSize: UInt32
        /// File offset of the first data byte.
        var dataOffset: Int
        /// Nil when the file is not a regular file (a pipe).
        var fileSize: Int?
    }

    /// Walks the chunks up to `data`, leaving the file positioned at its first byte.
    static func readHeader(_ f: UnsafeMutablePointer<FILE>, path: String) throws -> Header {
        var st = stat()
        var fileSize: Int?
        if fstat(fileno(f), &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR {
                throw ImportError.cannotOpen(path: path, reason: "it is a directory")
            }
            if (st.st_mode & S_IFMT) == S_IFREG { fileSize = Int(st.st_size) }
        }
        if fileSize == 0 { throw ImportError.emptyFile(path: path) }
        var offset = 0
        func read(_ n: Int) throws -> [UInt8] {
            var b = [UInt8](repeating: 0, count: n)
            var got = 0
            while got < n {
                let k = b.withUnsafeMutableBytes { fread($0.baseAddress! + got, 1, n - got, f) }
                if k == 0 {
                    if ferror(f) != 0 {
                        throw ImportError.readFailed(path: path, reason: String(cString: strerror(errno)))
                    }
                    break
                }
                got += k
            }
            offset += got
            return Array(b[0..<got])
        }
        func skip(_ n: Int) throws {
            if fileSize != nil, n > 0 {
                if fseeko(f, off_t(n), SEEK_CUR) == 0 { offset += n; return }
            }
            var left = n
            while left > 0 {
                let chunk = try read(min(left, 1 << 16))
                if chunk.isEmpty { return }
                left -= chunk.count
            }
        }
        func id(_ b: [UInt8]) -> String { String(decoding: b[0..<4], as: UTF8.self) }
        func u32(_ b: [UInt8], _ o: Int) -> UInt32 {
            UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
        }

        let riff = try read(12)
        guard riff.count == 12 else { throw ImportError.notWAV(path: path) }
        if id(riff) == "RIFX" && id(Array(riff[8..<12])) == "WAVE" {
            throw ImportError.unsupportedFormat(path: path, format: "big-endian RIFX")
        }
        guard ["RIFF", "RF64", "BW64"].contains(id(riff)), id(Array(riff[8..<12])) == "WAVE" else {
            throw ImportError.notWAV(path: path)
        }
        var format: WAVFormat?
        while true {
            let h = try read(8)
            guard h.count == 8 else {
                throw format == nil ? ImportError.noFmtChunk(path: path) : ImportError.noDataChunk(path: path)
            }
            let size = u32(h, 4)
            let padded = Int(size) + Int(size & 1)
            switch id(h) {
            case "fmt ":
                let body = try read(min(Int(size), 40))
                if body.count < min(Int(size), 40) {
                    throw ImportError.badFormat(path: path, reason: "the file ends inside the fmt chunk")
                }
                format = try WAVFormat.parse(body, chunkSize: Int(size), path: path)
                try skip(padded - body.count)
            case "data":
                guard let fmt = format else { throw ImportError.noFmtChunk(path: path) }
                return Header(format: fmt, dataSize: size, dataOffset: offset, fileSize: fileSize)
            default:
                try skip(padded)
            }
        }
    }
}
