import ArgumentParser
import Foundation
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
enum StopSignal {
    nonisolated(unsafe) static var requested = false

    static func install() {
        signal(SIGINT) { _ in StopSignal.requested = true }
        signal(SIGTERM) { _ in StopSignal.requested = true }
        signal(SIGPIPE, SIG_IGN)
    }
}

var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

func printErr(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

func jsonString<T: Encodable>(_ v: T, pretty: Bool = true) -> String {
    let e = JSONEncoder()
    e.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
    return String(decoding: (try? e.encode(v)) ?? Data(), as: UTF8.self)
}
