import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One output file of a command, written so that nothing the user already has is destroyed.
///
/// Every command writes through this type (recordings, reports, exports, imports), because the failures it
/// prevents were all seen in practice: an output named like the command's input replaced the input; a failed import
/// truncated an existing recording; `--json` followed a symlink and overwrote its target.
///
/// - The bytes go to a temporary file in the same folder (same file system, so `rename(2)` is atomic) and are
///   renamed into place only by `commit()`; an error or a crash leaves any existing file untouched.
/// - `rename(2)` replaces a symlink at the output path; it never writes through it.
/// - An output that is the same file as one of the command's inputs (compared by device and inode, so `./a`,
///   `a` and a hard link all match) is refused before any work starts.
/// - An existing recording is replaced only with `force`; reports and exports may replace their own kind of file.
public final class OutputFile {
    /// What the output holds: decides what an existing file at the path may be.
    public enum Kind: String, Sendable {
        /// A `.gpsession` recording: an existing file is replaced only with `--force`.
        case recording
        /// A report or export (JSON, HTML, CSV, WAV): may replace an earlier one, never a recording.
        case derived
    }

    public enum OutputError: Error, CustomStringConvertible, Equatable {
        case isInput(path: String, input: String)
        case exists(path: String, what: String)
        case isDirectory(path: String)
        case cannotWrite(path: String, reason: String)

        public var description: String {
            switch self {
            case .isInput(let p, let i):
                return p == i ? "output \(p) is also an input of this command; choose another output name"
                    : "output \(p) is the same file as the input \(i); choose another output name"
            case .exists(let p, let what):
                return "\(p) already exists (\(what)); add --force to replace it, or choose another name"
            case .isDirectory(let p): return "output \(p) is a folder; give a file name"
            case .cannotWrite(let p, let r): return "cannot write \(p): \(r)"
            }
        }
    }

    /// Where the file ends up.
    public let path: String
    /// Where it is written until `commit()`.
    public let temporaryPath: String
    private var done = false

    /// Checks `path` against the rules above and creates the (empty) temporary file next to it.
    /// - Parameters:
    ///   - inputs: every file the command reads; the output may not be any of them.
    ///   - force: allow replacing an existing recording (or, for a recording, any existing file).
    public init(path: String, kind: Kind, inputs: [String] = [], force: Bool = false) throws {
        try Self.check(path: path, kind: kind, inputs: inputs, force: force)
        self.path = path
        if path == Self.stdoutPath {
            // Standard output: written as it goes (a stream has no "rename into place"); commit/discard do nothing.
            temporaryPath = Self.stdoutDevice
            done = true
            return
        }
        let dir = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        var made: String?
        var lastErrno: Int32 = 0
        for attempt in 0..<16 {
            let name = ".\(base).\(getpid()).\(attempt)\(UInt32.random(in: 0...UInt32.max)).tmp"
            let candidate = dir.isEmpty ? name : (dir as NSString).appendingPathComponent(name)
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 { Glibc.close(fd); made = candidate; break }
            lastErrno = errno
            if lastErrno != EEXIST { break }
        }
        guard let t = made else {
            let folder = dir.isEmpty ? "." : dir
            let reason = lastErrno == ENOENT ? "folder \(folder) does not exist"
                : lastErrno == EACCES || lastErrno == EPERM || lastErrno == EROFS
                    ? "folder \(folder) is not writable (\(String(cString: strerror(lastErrno))))"
                    : String(cString: strerror(lastErrno))
            throw OutputError.cannotWrite(path: path, reason: reason)
        }
        temporaryPath = t
    }

    deinit { discard() }

    /// The checks of `init` without creating anything: for `validate()` before work starts.
    public static func check(path: String, kind: Kind, inputs: [String] = [], force: Bool = false) throws {
        if path == stdoutPath {
            // Binary recordings are for pipes and files; on a terminal they would only garble the screen.
            if kind == .recording && isatty(STDOUT_FILENO) == 1 {
                throw OutputError.cannotWrite(path: path, reason: "standard output is a terminal; pipe or "
                                              + "redirect it (… --out - > walk.gpsession), or give a file name")
            }
            return
        }
        guard !path.isEmpty else { throw OutputError.cannotWrite(path: path, reason: "empty file name") }
        var out = stat()
        guard stat(path, &out) == 0 else { return } // nothing there (or a dangling symlink): nothing to lose
        for input in inputs {
            var inp = stat()
            if stat(input, &inp) == 0, inp.st_dev == out.st_dev, inp.st_ino == out.st_ino {
                throw OutputError.isInput(path: path, input: input)
            }
        }
        if (out.st_mode & S_IFMT) == S_IFDIR { throw OutputError.isDirectory(path: path) }
        if force { return }
        let isRegular = (out.st_mode & S_IFMT) == S_IFREG
        if isRegular && isRecording(path) { throw OutputError.exists(path: path, what: "a gaitpop recording") }
        if kind == .recording && !(isRegular && out.st_size == 0) {
            throw OutputError.exists(path: path, what: isRegular ? "a file" : "not a regular file")
        }
    }

    /// For a recording written straight under its final name (`record`, `live --record`: a killed recorder must
    /// leave a readable file under the name the user gave, not a hidden temporary one). Call once the sensor has
    /// answered: re-checks the rules, then removes a symlink (or, with `force`, the old file) at the path so the
    /// new file is created there, never written through a link.
    public static func prepareDirect(path: String, inputs: [String] = [], force: Bool) throws {
        try check(path: path, kind: .recording, inputs: inputs, force: force)
        if path == stdoutPath { return }
        var st = stat()
        if lstat(path, &st) == 0 {
            let type = st.st_mode & S_IFMT
            if type == S_IFLNK || type == S_IFREG { unlink(path) }
        }
    }

    /// True when the file starts with the `.gpsession` magic bytes.
    public static func isRecording(_ path: String) -> Bool {
        guard let f = fopen(path, "rb") else { return false }
        defer { fclose(f) }
        var magic = [UInt8](repeating: 0, count: SessionFormat.magic.count)
        return fread(&magic, 1, magic.count, f) == magic.count && magic == SessionFormat.magic
    }

    /// Moves the finished file into place (replacing a file or symlink there, never writing through it).
    public func commit() throws {
        guard !done else { return }
        guard rename(temporaryPath, path) == 0 else {
            let e = errno
            discard()
            throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(e)))
        }
        done = true
    }

    /// Removes the temporary file; the path keeps whatever it held before.
    public func discard() {
        guard !done else { return }
        done = true
        unlink(temporaryPath)
    }

    /// `-` as an output path means standard output, as in every Unix tool (`report w.gpsession --json - | jq`).
    public static let stdoutPath = "-"

    /// What a writer opens for `-`: the process's standard output, whatever it is (pipe, file, terminal).
    public static let stdoutDevice = "/dev/stdout"

    /// The path a writer that creates its file directly (`record`, `live --record`) opens: `-` is standard output.
    public static func openablePath(_ path: String) -> String { path == stdoutPath ? stdoutDevice : path }

    /// Outputs that must be a seekable file or a folder refuse `-` with this message (before any work starts).
    public static func refuseStdout(_ path: String?, flag: String, because reason: String) throws {
        guard path == stdoutPath else { return }
        throw OutputError.cannotWrite(path: "\(flag) -", reason: reason)
    }

    /// Writes `data` and commits: the whole life of a small output (a JSON or HTML report). `-` writes to stdout.
    public static func write(_ data: Data, to path: String, kind: Kind = .derived, inputs: [String] = [],
                             force: Bool = false) throws {
        if path == stdoutPath {
            FileHandle.standardOutput.write(data)
            return
        }
        let o = try OutputFile(path: path, kind: kind, inputs: inputs, force: force)
        let fd = open(o.temporaryPath, O_WRONLY | O_TRUNC | O_CLOEXEC)
        var failure: Int32 = fd < 0 ? errno : 0
        if fd >= 0 {
            data.withUnsafeBytes { raw in
                var off = 0
                while off < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + off, raw.count - off)
                    if n > 0 { off += n; continue }
                    if n < 0 && errno == EINTR { continue }
                    failure = n < 0 ? errno : EIO
                    return
                }
            }
            Glibc.close(fd)
        }
        if failure != 0 {
            o.discard()
            throw OutputError.cannotWrite(path: path, reason: failure == ENOSPC ? "disk full" : String(cString: strerror(failure)))
        }
        try o.commit()
    }
}
