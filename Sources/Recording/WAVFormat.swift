import Foundation

/// What a WAV file's `fmt ` chunk says, checked and reduced to what decoding needs.
///
/// Follows the Microsoft RIFF/WAVE layout (WAVEFORMATEX, and WAVEFORMATEXTENSIBLE whose subformat GUID carries the
/// real format tag). Only formats whose samples are plain numbers are accepted — PCM integers and IEEE floats —
/// because a pop detector must see the waveform itself; compressed formats are named in the error so the user knows
/// what to convert from.
public struct WAVFormat: Equatable, Sendable {
    public enum Encoding: String, Equatable, Sendable {
        case pcm = "PCM", float = "IEEE float"
    }

    public var encoding: Encoding
    public var sampleRateHz: Int
    public var channels: Int
    /// As the file states it (e.g. 12 for 12-bit PCM stored in 16-bit containers).
    public var bitsPerSample: Int
    public var isExtensible: Bool
    /// Bytes one sample of one channel takes in the file.
    public var bytesPerSample: Int

    public var bytesPerFrame: Int { bytesPerSample * channels }

    /// e.g. "PCM 16-bit, mono, 16000 Hz" or "IEEE float 32-bit, 2 channels, 48000 Hz (extensible)".
    public var description: String {
        "\(encoding.rawValue) \(bitsPerSample)-bit, \(channels == 1 ? "mono" : "\(channels) channels"), "
            + "\(sampleRateHz) Hz\(isExtensible ? " (extensible)" : "")"
    }

    public static let supportedRatesHz = 8000...48000

    static let extensibleTag = 0xFFFE
    /// Bytes 2…15 shared by every KSDATAFORMAT_SUBTYPE GUID; bytes 0–1 hold the format tag.
    static let subformatGUIDTail: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38,
                                             0x9B, 0x71]

    /// Parses the body of a `fmt ` chunk (the first ≤ 40 bytes are enough; `chunkSize` is its declared size).
    static func parse(_ b: [UInt8], chunkSize: Int, path: String) throws -> WAVFormat {
        guard b.count >= 16 else {
            throw ImportError.badFormat(path: path, reason: "the fmt chunk is \(chunkSize) bytes, at least 16 needed")
        }
        func u16(_ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
        func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
        var tag = u16(0)
        let channels = u16(2)
        let rate = u32(4)
        let bits = u16(14)
        var extensible = false
        if tag == extensibleTag {
            extensible = true
            guard b.count >= 40 else {
                throw ImportError.badFormat(path: path, reason: "the WAVE_FORMAT_EXTENSIBLE fmt chunk is \(chunkSize) "
                    + "bytes, 40 needed")
            }
            guard Array(b[26..<40]) == subformatGUIDTail else {
                throw ImportError.unsupportedFormat(path: path, format: "WAVE_FORMAT_EXTENSIBLE with a non-standard "
                    + "subformat GUID")
            }
            tag = u16(24)
        }
        let encoding: Encoding
        switch tag {
        case 1: encoding = .pcm
        case 3: encoding = .float
        default:
            throw ImportError.unsupportedFormat(path: path, format: name(ofTag: tag)
                + (extensible ? " in WAVE_FORMAT_EXTENSIBLE" : ""))
        }
        guard channels > 0 else { throw ImportError.badFormat(path: path, reason: "0 channels") }
        // Real recorders write at most a few dozen channels; 65535 is a damaged header, and would make one
        // "frame" so wide that a whole file holds a handful of samples.
        guard channels <= 64 else {
            throw ImportError.badFormat(path: path, reason: "\(channels) channels declared (at most 64 read): header damaged")
        }
        let bytes: Int
        switch (encoding, extensible) {
        // In WAVEFORMATEX, PCM of 9–32 significant bits sits in the next whole number of bytes; in the extensible
        // form the bit count is the container size itself.
        case (.pcm, false) where (8...32).contains(bits): bytes = (bits + 7) / 8
        case (.pcm, true) where [8, 16, 24, 32].contains(bits): bytes = bits / 8
        case (.float, _) where bits == 32 || bits == 64: bytes = bits / 8
        default: throw ImportError.unsupportedBitDepth(path: path, bits: bits, encoding: encoding.rawValue)
        }
        guard supportedRatesHz.contains(rate) else { throw ImportError.unsupportedRate(path: path, rateHz: rate) }
        return WAVFormat(encoding: encoding, sampleRateHz: rate, channels: channels, bitsPerSample: bits,
                         isExtensible: extensible, bytesPerSample: bytes)
    }

    /// The registered name of a WAVE format tag, with the number, e.g. "µ-law (7)".
    static func name(ofTag tag: Int) -> String {
        let names: [Int: String] = [
            0x0001: "PCM", 0x0002: "Microsoft ADPCM", 0x0003: "IEEE float", 0x0006: "A-law", 0x0007: "µ-law",
            0x0011: "IMA ADPCM", 0x0022: "TrueSpeech", 0x0031: "GSM 6.10", 0x0040: "G.721 ADPCM", 0x0050: "MPEG",
            0x0055: "MP3", 0x00FF: "AAC", 0x0160: "WMA v1", 0x0161: "WMA", 0x0162: "WMA Pro", 0x1610: "HE-AAC",
            0x2000: "AC-3", 0x6750: "Ogg Vorbis", 0xF1AC: "FLAC", 0xFFFE: "WAVE_FORMAT_EXTENSIBLE",
        ]
        return "\(names[tag] ?? "unknown format") (\(tag))"
    }
}
