import Foundation
import SensorProtocol

/// The virtual walker as a `SignalSource` for the firmware: the gait model for the IMU, the microphone model for
/// audio, sensor noise, and quantisation to the device's full-scale ranges.
public final class WalkerSource: SignalSource {
    public let scenario: Scenario
    public let schedule: WalkSchedule
    public let gait: GaitSignalModel
    private var mic: MicrophoneModel
    private var rng: SplitMix64
    private var cursor = 0
    private var audioBuffer: [Float] = []
    private let accCountsPerG: Double
    private let gyroCountsPerDps: Double

    public init(scenario: Scenario, seed: UInt64, accRangeG: Double = 8, gyroRangeDps: Double = 1000) {
        self.scenario = scenario
        schedule = WalkSchedule(scenario: scenario, seed: seed)
        gait = GaitSignalModel(schedule: schedule, scenario: scenario)
        mic = MicrophoneModel(schedule: schedule, scenario: scenario, rateHz: Double(scenario.audioRateHz), seed: seed)
        rng = SplitMix64(seed: seed ^ 0x1A0_0002)
        accCountsPerG = 32768 / accRangeG
        gyroCountsPerDps = 32768 / gyroRangeDps
    }

    public func imu(firstIndex: Int, count: Int, channels: Int, into out: inout [Int16]) {
        out.removeAll(keepingCapacity: true)
        let noise = scenario.noise
        for i in firstIndex..<(firstIndex + count) {
            let t = Double(i) / Double(scenario.imuRateHz)
            let s = gait.sample(at: t, cursor: &cursor)
            for axis in 0..<3 {
                out.append(Self.quantise((s.acc[axis] + noise.accG * rng.gaussian()) * accCountsPerG))
            }
            if channels == 6 {
                for axis in 0..<3 {
                    out.append(Self.quantise((s.gyro[axis] + noise.gyroDps * rng.gaussian()) * gyroCountsPerDps))
                }
            }
        }
    }

    public func audio(firstIndex: Int, count: Int, into out: inout [Int16]) {
        mic.render(first: firstIndex, count: count, into: &audioBuffer)
        out.removeAll(keepingCapacity: true)
        for v in audioBuffer { out.append(Self.quantise(Double(v) * 32767)) }
    }

    static func quantise(_ x: Double) -> Int16 { Int16(max(-32768, min(32767, x.rounded()))) }

    /// The device description matching this scenario (rates, gyroscope present or not).
    public func deviceInfo(base: DeviceInfo = VirtualFirmware.defaultInfo) -> DeviceInfo {
        var i = base
        i.imuRateHz = UInt16(scenario.imuRateHz)
        i.audioRateHz = UInt32(scenario.audioRateHz)
        i.gyroRangeDps = scenario.gyroscope ? UInt16(32768 / gyroCountsPerDps) : 0
        i.accRangeG = UInt16(32768 / accCountsPerG)
        return i
    }
}
