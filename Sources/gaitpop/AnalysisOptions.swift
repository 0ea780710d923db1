import Analysis
import ArgumentParser
import Gait
import PopEvents

/// Options shared by live, replay and report: alert rules, the tilt alert, the wearer's calibration.
struct AnalysisOptions: ParsableArguments {
    @Option(help: "Alert rules JSON (default: the built-in rules, docs/alert-rules.json).") var rules: String?
    @Option(help: "Tilt calibration from `gaitpop calibrate` (default: quiet standing found in the recording).")
    var calibration: String?
    @Option(help: "Sustained anterior tilt alert: degrees above neutral…") var tiltAlertDeg: Double?
    @Option(help: "…held for this many seconds.") var tiltAlertSeconds: Double?
    @Option(help: ArgumentHelp("Where the microphone sits: over one leg's joints (pop phases on that leg's stride) or "
                               + "center (on the leg in stance).", valueName: "left|right|center"))
    var micSide: String = "center"
    @Option(help: ArgumentHelp("The wearer's leg length in cm (floor to the hip joint): reports add step length "
                               + "and walking speed (inverted-pendulum model, docs/GAIT.md).", valueName: "cm"))
    var legLengthCm: Double?

    func validate() throws {
        if let d = tiltAlertDeg, !(d.isFinite && d > 0 && d <= 45) { throw UserError("--tilt-alert-deg must be 0–45°") }
        if let s = tiltAlertSeconds, !(s.isFinite && s > 0 && s <= 3600) { throw UserError("--tilt-alert-seconds must be 0–3600 s") }
        if MicSide(rawValue: micSide) == nil { throw UserError("--mic-side must be left, right or center") }
        if let l = legLengthCm, !(l.isFinite && l >= 40 && l <= 130) { throw UserError("--leg-length-cm must be 40–130 cm") }
    }

    func popConfig() -> PopConfig {
        var p = PopConfig()
        p.micSide = MicSide(rawValue: micSide) ?? .center
        return p
    }

    func alertConfig() throws -> AlertRuleConfig { try rules.map { try AlertRuleConfig.load(path: $0) } ?? AlertRuleConfig() }
    func tiltCalibration() throws -> TiltCalibration? { try calibration.map { try TiltCalibration.load(path: $0) } }
    func gaitConfig() -> GaitConfig {
        var g = GaitConfig()
        if let d = tiltAlertDeg { g.anteriorTiltAlertDeg = d }
        if let s = tiltAlertSeconds { g.anteriorTiltAlertSeconds = s }
        if let l = legLengthCm { g.legLengthM = l / 100 }
        return g
    }
}
