import Foundation
@testable import Gait
@testable import Simulation

/// The virtual walker's IMU (noise and 16-bit quantisation included, no audio) as an `IMUSeries`, with its exact
/// truth: fast enough to run many scenarios per test.
enum SimulatedIMU {
    static func render(_ sc: Scenario, seed: UInt64) -> (imu: IMUSeries, truth: GroundTruth) {
        let source = WalkerSource(scenario: sc, seed: seed)
        let n = Int(sc.durationSeconds * Double(sc.imuRateHz))
        let channels = sc.gyroscope ? 6 : 3
        var raw: [Int16] = []
        source.imu(firstIndex: 0, count: n, channels: channels, into: &raw)
        let info = source.deviceInfo()
        let accScale = Double(info.accRangeG) / 32768, gyroScale = Double(info.gyroRangeDps) / 32768
        var acc = ContiguousArray<Float>(repeating: 0, count: 3 * n)
        var gyro = ContiguousArray<Float>(repeating: 0, count: sc.gyroscope ? 3 * n : 0)
        for i in 0..<n {
            for a in 0..<3 {
                acc[3 * i + a] = Float(Double(raw[channels * i + a]) * accScale)
                if sc.gyroscope { gyro[3 * i + a] = Float(Double(raw[channels * i + 3 + a]) * gyroScale) }
            }
        }
        let imu = IMUSeries(rateHz: Double(sc.imuRateHz), accG: acc, gyroDps: sc.gyroscope ? gyro : nil)
        let truth = GroundTruth(scenario: sc, seed: seed, schedule: source.schedule, gait: source.gait)
        return (imu, truth)
    }
}
