import SensorProtocol
import SerialPort

/// Finds sensors: lists serial ports through libserialport and asks each one for DEVICE_INFO. Used by
/// `gaitpop devices` and by `--port auto`.
public enum PortDiscovery {
    public struct Candidate: Sendable, Codable, Equatable {
        public var port: SerialPortInfo
        /// Set when the port answered the protocol's GET_INFO.
        public var device: DeviceInfo?
        /// Why probing failed (busy, permission…), if it did.
        public var probeError: String?

        public var isSensor: Bool { device != nil }
    }

    /// Lists ports (plus `extraPaths`, e.g. pseudo-terminals libserialport cannot see) and probes each.
    public static func scan(extraPaths: [String] = [], probe: Bool = true, timeoutSeconds: Double = 0.4,
                            baudRate: Int = 921_600) throws -> [Candidate] {
        var ports = try SerialPort.listPorts()
        for p in extraPaths where !ports.contains(where: { $0.path == p }) {
            ports.append((try? SerialPort.info(path: p)) ?? SerialPortInfo(path: p, description: "extra path"))
        }
        return ports.map { port in
            guard probe else { return Candidate(port: port) }
            do {
                return Candidate(port: port, device: try probeDevice(path: port.path, timeoutSeconds: timeoutSeconds,
                                                                     baudRate: baudRate))
            } catch {
                return Candidate(port: port, probeError: "\(error)")
            }
        }
    }

    /// Opens `path`, asks for DEVICE_INFO once, closes. Throws when nothing answers.
    public static func probeDevice(path: String, timeoutSeconds: Double, baudRate: Int) throws -> DeviceInfo {
        var o = DeviceSession.Options()
        o.handshakeAttempts = 1
        o.handshakeTimeoutSeconds = timeoutSeconds
        o.baudRate = baudRate
        let s = DeviceSession(path: path, options: o)
        defer { s.close() }
        return try s.connect()
    }

    public enum AutoError: Error, CustomStringConvertible {
        case none(seen: [String])
        case several([Candidate])

        public var description: String {
            switch self {
            case .none(let seen):
                return "no gaitpop sensor answered on "
                    + (seen.isEmpty ? "any serial port (none found)" : seen.joined(separator: ", "))
                    + "; plug it in, or give --port PATH (the virtual sensor: `gaitpop simulate --pty`)"
            case .several(let c):
                return "several sensors found, pick one with --port: "
                    + c.map { "\($0.port.path) (\($0.device?.serialNumber ?? "?"))" }.joined(separator: ", ")
            }
        }
    }

    /// `--port auto`: the single sensor, or a clear error listing what was seen.
    public static func auto(timeoutSeconds: Double = 0.4, baudRate: Int = 921_600) throws -> String {
        let all = try scan(timeoutSeconds: timeoutSeconds, baudRate: baudRate)
        let sensors = all.filter(\.isSensor)
        if sensors.count == 1 { return sensors[0].port.path }
        if sensors.isEmpty { throw AutoError.none(seen: all.map(\.port.path)) }
        throw AutoError.several(sensors)
    }
}
