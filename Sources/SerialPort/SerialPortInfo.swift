import CLibSerialPort

/// One serial port as libserialport enumerates it, with the USB identity used to find a sensor again after it
/// re-enumerates under a new name (ttyACM0 → ttyACM1).
public struct SerialPortInfo: Equatable, Sendable, Codable {
    public enum Transport: String, Sendable, Codable { case native, usb, bluetooth, unknown }

    public var path: String
    public var description: String
    public var transport: Transport
    public var usbVendorID: Int?
    public var usbProductID: Int?
    public var manufacturer: String?
    public var product: String?
    public var serialNumber: String?

    public init(path: String, description: String = "", transport: Transport = .unknown, usbVendorID: Int? = nil,
                usbProductID: Int? = nil, manufacturer: String? = nil, product: String? = nil,
                serialNumber: String? = nil) {
        self.path = path; self.description = description; self.transport = transport
        self.usbVendorID = usbVendorID; self.usbProductID = usbProductID
        self.manufacturer = manufacturer; self.product = product; self.serialNumber = serialNumber
    }

    /// `1234:5678` style id, or nil for non-USB ports.
    public var usbID: String? {
        guard let v = usbVendorID, let p = usbProductID else { return nil }
        return String(format: "%04x:%04x", v, p)
    }

    /// True when `other` is the same physical USB device (same vendor, product and serial number).
    public func isSameUSBDevice(as other: SerialPortInfo) -> Bool {
        usbVendorID != nil && usbVendorID == other.usbVendorID && usbProductID == other.usbProductID
            && serialNumber != nil && serialNumber == other.serialNumber
    }

    /// Reads everything libserialport knows about a port. `port` must be valid for the call.
    init(port: OpaquePointer) {
        func str(_ p: UnsafeMutablePointer<CChar>?) -> String? { p.map { String(cString: $0) } }
        path = str(sp_get_port_name(port)) ?? "?"
        description = str(sp_get_port_description(port)) ?? ""
        switch sp_get_port_transport(port) {
        case SP_TRANSPORT_NATIVE: transport = .native
        case SP_TRANSPORT_USB: transport = .usb
        case SP_TRANSPORT_BLUETOOTH: transport = .bluetooth
        default: transport = .unknown
        }
        if transport == .usb {
            var vid: Int32 = 0, pid: Int32 = 0
            if sp_get_port_usb_vid_pid(port, &vid, &pid) == SP_OK {
                usbVendorID = Int(vid)
                usbProductID = Int(pid)
            }
            manufacturer = str(sp_get_port_usb_manufacturer(port))
            product = str(sp_get_port_usb_product(port))
            serialNumber = str(sp_get_port_usb_serial(port))
        }
    }
}
