import ArgumentParser
import Analysis
import CPosixShims
import Foundation
import SensorDevice
#if canImport(Glibc)
import Glibc
#endif

/// A user-caused failure, printed as one line `gaitpop: <message>` with exit code 1 (no stack, no Swift noise).
struct UserError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// Runs `body`, turning any thrown error into one clear line on stderr and exit code 1.
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ExitCode {
        throw e
    } catch let e as CleanExit {
        throw e
    } catch {
        FileHandle.standardError.write(Data("gaitpop: \(error)\n".utf8))
        throw ExitCode(1)
    }
}

/// Ctrl-C asks the running command to stop cleanly (recordings get their trailer).
///
/// The handlers are installed without SA_RESTART and always reach the main thread, so a blocking `open` or `read`
/// there (a FIFO with no writer, a quiet pipe) returns EINTR instead of waiting for ever: the command then ends
/// within a moment, finishing what it has.
enum StopSignal {
    /// True once Ctrl-C or SIGTERM arrived (read from the C flag the handler sets).
    static var requested: Bool { gp_stop_signal_requested() != 0 }

    static func install() { gp_stop_signal_install() }
}

var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

func printErr(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

/// `v` in gaitpop's one JSON data style (`JSONStyle`: snake_case keys, numbers as numbers), for `--json` output.
func jsonString<T: Encodable>(_ v: T, pretty: Bool = true) -> String {
    String(decoding: (try? JSONStyle.encode(v, pretty: pretty)) ?? Data(), as: UTF8.self)
}

/// A settings file (scenario, rules) as the loaders read it: the property names as keys, so a printed template
/// loads back unchanged (`ConfigLoader` matches keys exactly to report typos).
func configJSONString<T: Encodable>(_ v: T) -> String {
    let e = JSONEncoder()
    e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? e.encode(v)) ?? Data(), as: UTF8.self)
}

/// Flag checks shared by every command's `validate()` (one line, `gaitpop: …`-style, exit code 1): a number from the command line must be finite and inside
/// the range the code below it can handle (an infinite timeout once trapped converting seconds to nanoseconds).
enum FlagCheck {
    static func number(_ value: Double?, _ name: String, _ range: ClosedRange<Double>, unit: String = "") throws {
        guard let v = value else { return }
        guard v.isFinite, range.contains(v) else {
            throw UserError("\(name) must be a number from \(fmt(range.lowerBound)) to \(fmt(range.upperBound))"
                                  + (unit.isEmpty ? "" : " \(unit)") + " (got \(v))")
        }
    }

    static func integer(_ value: Int?, _ name: String, _ range: ClosedRange<Int>, unit: String = "") throws {
        guard let v = value else { return }
        guard range.contains(v) else {
            throw UserError("\(name) must be from \(range.lowerBound) to \(range.upperBound)"
                                  + (unit.isEmpty ? "" : " \(unit)") + " (got \(v))")
        }
    }

    /// Positive and finite, excluding 0.
    static func positive(_ value: Double?, _ name: String, max: Double, unit: String) throws {
        guard let v = value else { return }
        guard v.isFinite, v > 0, v <= max else {
            throw UserError("\(name) must be above 0 and at most \(fmt(max)) \(unit) (got \(v))")
        }
    }

    /// `--port`: `auto` or a character device; an existing file of any other kind is refused by name, so protocol
    /// frames are never written into a recording or any other file.
    static func port(_ port: String?, _ name: String = "--port") throws {
        guard let p = port, p != "auto" else { return }
        if p.isEmpty { throw UserError("\(name) needs a device path or 'auto'") }
        if let why = LinkOpener.notADevice(path: p) { throw UserError("\(name): \(why)") }
    }

    static let baudRange = 300...4_000_000

    private static func fmt(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}


/// Pushes out what `print` buffered (a line another program waits for, such as the virtual sensor's device path).
/// `fflush(nil)` flushes every C stream without touching the global `stdout` variable, which Swift 6 treats as
/// shared mutable state.
func flushStandardOutput() { fflush(nil) }
