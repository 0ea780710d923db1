import ArgumentParser
import SensorDevice
import SerialPort

struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List serial ports and mark those that answer as gaitpop sensors.",
        discussion: """
            Ports come from libserialport, with USB vendor/product ids, manufacturer, product and serial number.
            Each port is asked for DEVICE_INFO (Firmware-Protocol/PROTOCOL.md); those that answer are sensors.
            Pseudo-terminals (the virtual sensor) are not enumerable: add them with --probe PATH.

            Examples:
              gaitpop devices
              gaitpop devices --json
              gaitpop devices --probe /dev/pts/3
            """)

    @Flag(help: "Print JSON instead of a table.") var json = false
    @Flag(name: .customLong("no-probe"), help: "Only list ports; do not talk to them.") var noProbe = false
    @Option(name: .customLong("probe"), help: "Also probe this path (repeatable).") var extra: [String] = []
    @Option(help: "Seconds to wait for each port's answer.") var timeout = 0.4
    @Option(help: "Baud rate for UART sensors (ignored on USB).") var baud = 921_600

    func validate() throws {
        try FlagCheck.number(timeout, "--timeout", 0.01...60, unit: "s")
        try FlagCheck.integer(baud, "--baud", FlagCheck.baudRange)
        for p in extra { try FlagCheck.port(p, "--probe") }
    }

    func run() throws {
        try runReportingErrors {
            let found = try PortDiscovery.scan(extraPaths: extra, probe: !noProbe, timeoutSeconds: timeout,
                                               baudRate: baud)
            if json {
                print(jsonString(found))
                return
            }
            if found.isEmpty {
                print("no serial ports found (plug the sensor in, or try `gaitpop simulate --pty`)")
                return
            }
            var rows = [["PORT", "TRANSPORT", "USB ID", "MANUFACTURER", "PRODUCT", "SERIAL", "SENSOR"]]
            for c in found {
                let sensor: String
                if let d = c.device {
                    sensor = "yes: \(d.model) \(d.serialNumber) fw \(d.firmwareVersion)"
                } else {
                    sensor = noProbe ? "-" : "no"
                }
                rows.append([c.port.path, c.port.transport.rawValue, c.port.usbID ?? "-", c.port.manufacturer ?? "-",
                             c.port.product ?? "-", c.port.serialNumber ?? "-", sensor])
            }
            let widths = (0..<rows[0].count).map { col in rows.map { $0[col].count }.max() ?? 0 }
            for r in rows {
                print(zip(r, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }
                    .joined(separator: "  "))
            }
            let n = found.filter(\.isSensor).count
            print("\(n) sensor\(n == 1 ? "" : "s") found")
        }
    }
}
