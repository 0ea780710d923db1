import SerialPort

/// A USB/hardware serial port through libserialport (the `SerialPort` wrapper).
public final class SerialPortLink: ByteLink {
    private let port: SerialPort

    public var description: String { "\(port.path) (libserialport)" }

    public init(path: String, baudRate: Int = 921_600) throws {
        do {
            port = try SerialPort(path: path, baudRate: baudRate)
        } catch let e as SerialPortError {
            throw LinkError.openFailed(path: path, reason: e.description)
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMs: Int) throws -> Int {
        do {
            return try port.read(into: buffer, timeoutMs: timeoutMs)
        } catch let e as SerialPortError {
            throw e.kind == .disconnected ? LinkError.disconnected(path: port.path, reason: e.message)
                                          : LinkError.io(path: port.path, reason: e.message)
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        do {
            try bytes.withUnsafeBytes { try port.write($0) }
        } catch let e as SerialPortError {
            throw LinkError.disconnected(path: port.path, reason: e.message)
        }
    }

    public func close() { port.close() }
}
