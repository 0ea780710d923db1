import XCTest
@testable import SensorProtocol

/// The `field` lines of the vectors checked against the Swift payload parsers, and encode→parse round trips.
final class PayloadTests: XCTestCase {
    func testVectorFields() {
        var checked = 0
        for v in TestVector.all {
            for (i, fields) in v.fields {
                let f = v.frames[i]
                let actual = decodedFields(f)
                for (name, value) in fields {
                    XCTAssertEqual(actual[name], value, "\(v.file) frame \(i) field \(name)")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 60)
    }

    /// Renders a parsed payload in the manifest's `field` vocabulary.
    private func decodedFields(_ f: Frame) -> [String: String] {
        var d: [String: String] = [:]
        f.payload.withUnsafeBytes { p in
            switch f.knownType {
            case .deviceInfo?:
                guard let i = DeviceInfo(payload: p) else { return }
                d = ["info.protocol_version": "\(i.protocolVersion)", "info.fw_major": "\(i.firmwareMajor)",
                     "info.fw_minor": "\(i.firmwareMinor)", "info.fw_patch": "\(i.firmwarePatch)",
                     "info.hw_revision": "\(i.hardwareRevision)", "info.device_uid": "\(i.deviceUID)",
                     "info.imu_rate_hz": "\(i.imuRateHz)", "info.acc_range_g": "\(i.accRangeG)",
                     "info.gyro_range_dps": "\(i.gyroRangeDps)", "info.audio_rate_hz": "\(i.audioRateHz)",
                     "info.audio_bits": "\(i.audioBits)", "info.axis_convention": "\(i.axisConvention)",
                     "info.flags": "\(i.flags)", "info.serial_number": i.serialNumber, "info.model": i.model,
                     "info.imu_model": i.imuModel, "info.mic_model": i.micModel]
            case .imuBlock?:
                guard let h = IMUBlockHeader(payload: p) else { return }
                d = ["imu.t_first_us": "\(h.tFirstMicros)", "imu.first_index": "\(h.firstIndex)",
                     "imu.count": "\(h.count)", "imu.channels": "\(h.channels)"]
                for s in 0..<h.count {
                    d["imu.sample[\(s)]"] = (0..<h.channels).map { "\(h.sample(s, channel: $0, in: p))" }
                        .joined(separator: ",")
                }
            case .audioBlock?:
                guard let h = AudioBlockHeader(payload: p) else { return }
                d = ["audio.t_first_us": "\(h.tFirstMicros)", "audio.first_index": "\(h.firstIndex)",
                     "audio.count": "\(h.count)", "audio.format": "\(h.format)"]
                for s in 0..<h.count { d["audio.sample[\(s)]"] = "\(h.sample(s, in: p))" }
            case .marker?:
                guard let m = Marker(payload: p) else { return }
                d = ["marker.t_us": "\(m.tMicros)", "marker.kind": "\(m.kind)", "marker.marker_id": "\(m.markerID)"]
            case .status?:
                guard let s = DeviceStatus(payload: p) else { return }
                d = ["status.t_us": "\(s.tMicros)", "status.battery_mv": "\(s.batteryMillivolts)",
                     "status.battery_percent": "\(s.batteryPercent)", "status.flags": "\(s.flags)",
                     "status.imu_dropped_total": "\(s.imuDroppedTotal)",
                     "status.audio_dropped_total": "\(s.audioDroppedTotal)",
                     "status.tx_frames_dropped_total": "\(s.txFramesDroppedTotal)",
                     "status.temperature_cdeg": "\(s.temperatureCentiDegrees)"]
            case .pong?:
                guard let x = Pong(payload: p) else { return }
                d = ["pong.token": "\(x.token)", "pong.host_time_us": "\(x.hostTimeMicros)",
                     "pong.device_rx_us": "\(x.deviceRxMicros)", "pong.device_tx_us": "\(x.deviceTxMicros)"]
            case .ack?:
                guard let a = Ack(payload: p) else { return }
                d = ["ack.command_type": "\(a.commandType)", "ack.result": "\(a.result)",
                     "ack.command_seq": "\(a.commandSeq)"]
            case .configure?:
                guard let c = Configure(payload: p) else { return }
                d = ["configure.imu_rate_hz": "\(c.imuRateHz)", "configure.acc_range_g": "\(c.accRangeG)",
                     "configure.gyro_range_dps": "\(c.gyroRangeDps)", "configure.audio_rate_hz": "\(c.audioRateHz)"]
            case .ping?:
                guard let x = Ping(payload: p) else { return }
                d = ["ping.token": "\(x.token)", "ping.host_time_us": "\(x.hostTimeMicros)"]
            default: break
            }
        }
        return d
    }

    func testRoundTripEveryPayloadType() throws {
        var info = DeviceInfo()
        info.deviceUID = .max; info.imuRateHz = 400; info.accRangeG = 16; info.gyroRangeDps = 2000
        info.audioRateHz = 48000; info.serialNumber = "ü-123"; info.model = String(repeating: "x", count: 300)
        let back = try XCTUnwrap(info.encoded().parse(DeviceInfo.init(payload:)))
        XCTAssertEqual(back.serialNumber, "ü-123")
        XCTAssertEqual(back.model.utf8.count, 255, "long strings are cut to 255 bytes")
        XCTAssertEqual(back.deviceUID, .max)

        let m = Marker(tMicros: 1 << 40, kind: 1, markerID: 65535)
        XCTAssertEqual(m.encoded().parse(Marker.init(payload:)), m)
        var s = DeviceStatus(); s.tMicros = 5; s.imuDroppedTotal = 7; s.temperatureCentiDegrees = -1234
        XCTAssertEqual(s.encoded().parse(DeviceStatus.init(payload:)), s)
        let p = Pong(token: 9, hostTimeMicros: 10, deviceRxMicros: 11, deviceTxMicros: 12)
        XCTAssertEqual(p.encoded().parse(Pong.init(payload:)), p)
        let a = Ack(commandType: 0x82, result: 3, commandSeq: 400)
        XCTAssertEqual(a.encoded().parse(Ack.init(payload:)), a)
        let c = Configure(imuRateHz: 200, accRangeG: 4, gyroRangeDps: 0xFFFF, audioRateHz: 8000)
        XCTAssertEqual(c.encoded().parse(Configure.init(payload:)), c)
        let g = Ping(token: 1, hostTimeMicros: .max)
        XCTAssertEqual(g.encoded().parse(Ping.init(payload:)), g)

        let imu = IMUBlockHeader.encode(tFirstMicros: 99, firstIndex: .max, channels: 6,
                                        samples: (0..<60).map { Int16($0 * 100 - 3000) })
        try imu.withUnsafeBytes { raw in
            let h = try XCTUnwrap(IMUBlockHeader(payload: raw))
            XCTAssertEqual(h.count, 10)
            XCTAssertEqual(h.sample(9, channel: 5, in: raw), Int16(59 * 100 - 3000))
        }
        let audio = AudioBlockHeader.encode(tFirstMicros: 1, firstIndex: 2, samples: [Int16.min, 0, .max])
        try audio.withUnsafeBytes { raw in
            let h = try XCTUnwrap(AudioBlockHeader(payload: raw))
            XCTAssertEqual(h.count, 3)
            XCTAssertEqual(h.sample(0, in: raw), .min)
            XCTAssertEqual(h.sample(2, in: raw), .max)
        }
    }

    func testShortOrInconsistentPayloadsAreRejectedNotTrapped() {
        // Every prefix of every payload type parses or returns nil; none traps.
        var info = DeviceInfo(); info.serialNumber = "S"
        let samples: [[UInt8]] = [
            info.encoded(), Marker(tMicros: 1, kind: 1, markerID: 1).encoded(), DeviceStatus().encoded(),
            Pong(token: 1, hostTimeMicros: 1, deviceRxMicros: 1, deviceTxMicros: 1).encoded(),
            IMUBlockHeader.encode(tFirstMicros: 0, firstIndex: 0, channels: 3, samples: [1, 2, 3, 4, 5, 6]),
            AudioBlockHeader.encode(tFirstMicros: 0, firstIndex: 0, samples: [1, 2]),
        ]
        for full in samples {
            for n in 0..<full.count {
                let cut = Array(full[0..<n])
                _ = cut.parse(DeviceInfo.init(payload:)); _ = cut.parse(Marker.init(payload:))
                _ = cut.parse(DeviceStatus.init(payload:)); _ = cut.parse(Pong.init(payload:))
                _ = cut.parse(IMUBlockHeader.init(payload:)); _ = cut.parse(AudioBlockHeader.init(payload:))
            }
        }
        // A block whose count claims more samples than the payload holds is rejected.
        var lying = IMUBlockHeader.encode(tFirstMicros: 0, firstIndex: 0, channels: 3, samples: [1, 2, 3])
        lying[12] = 200
        XCTAssertNil(lying.parse(IMUBlockHeader.init(payload:)))
        var badChannels = IMUBlockHeader.encode(tFirstMicros: 0, firstIndex: 0, channels: 3, samples: [1, 2, 3])
        badChannels[14] = 4
        XCTAssertNil(badChannels.parse(IMUBlockHeader.init(payload:)))
    }
}
