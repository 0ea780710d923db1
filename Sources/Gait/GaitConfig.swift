/// Every constant of the gait algorithm (docs/research/gait/ALGORITHM.md, named as there), in seconds, g and degrees.
///
/// The defaults are the validated values of the spec; nothing was fitted to the lab files. Windows are given in
/// seconds and turned into samples with `round(seconds · rateHz)`, so the same configuration works from 50 to 400 Hz.
/// Each doc comment names the spec constant and says why it has its value.
public struct GaitConfig: Codable, Equatable, Sendable {
    // MARK: §0 input
    /// A median |acc| above this is taken to be m/s² and divided by 9.80665 (g-data at rest reads ≈ 1).
    public var metresPerSecondSquaredThreshold: Double = 4.0

    // MARK: §2 orientation
    /// TAU_GRAVITY: EMA time constant of the gravity (up) estimate; ≫ a step (0.4–1.2 s) so the walking oscillation
    /// is ≥ 18 dB down, short enough to follow posture changes.
    public var tauGravitySeconds: Double = 1.5
    /// TAU_HP: EMA used as DC removal (≈ 0.16 Hz high-pass) of vertical acceleration, ML acceleration and yaw rate.
    public var tauHighPassSeconds: Double = 1.0
    /// σ of the mild low-pass (< ≈ 5 Hz) applied before the forward-axis covariance and the ML laterality score.
    public var sigmaAxisSeconds: Double = 0.04
    /// The forward axis of a bout uses samples from its first IC − this to its last IC + this.
    public var boutAxisMarginSeconds: Double = 0.3
    /// The port recommendation of §2: pool the one-step lag covariance (in 3-D sensor coordinates) over all bouts,
    /// weighted by steps, because the sensor is fixed to the body. `false` = per-bout axes as in the prototype.
    public var poolAxisAcrossBouts: Bool = true

    // MARK: §3 steps and walking bouts
    /// SIG_CYCLE: Gaussian of the one-lobe-per-step cycle signal (−3 dB ≈ 3.1 Hz). Batch only; see
    /// `streamingSigmaCycleSeconds`.
    public var sigmaCycleSeconds: Double = 0.06
    /// SIG_FINE: Gaussian of the event-timing signals s_fine and ds (−3 dB ≈ 9.4 Hz).
    public var sigmaFineSeconds: Double = 0.02
    /// A_MIN: minimum cycle-lobe height of a step candidate; standing noise is ≈ 0.005 g, real lobes 0.08–0.26 g.
    public var minLobeHeightG: Double = 0.03
    /// A_MIN as batch applies it: the same threshold in the streaming cycle signal's units, scaled by the ratio of
    /// the two Gaussians because batch's wider one lowers a narrow contact pulse by about that ratio
    /// (BatchStepStages). The "no walking" note prints this value, the one actually compared.
    public var batchMinLobeHeightG: Double { minLobeHeightG * streamingSigmaCycleSeconds / sigmaCycleSeconds }
    /// STEP_MIN: lobes closer than this are suppressed (tallest first), i.e. at most 240 steps/min.
    public var minStepSeconds: Double = 0.25
    /// A candidate whose a_v peak is closer than this fraction of STEP_MIN (0.2 s) to the previous one is dropped.
    public var minPeakSpacingFraction: Double = 0.8
    /// STEP_MAX: longest step inside a bout; longer gaps split bouts. 2 s (30 steps/min): a walker at 40–45
    /// steps/min with a walking aid, 8 % step-time variability and 12 % asymmetry has steps up to ≈ 1.9 s (issue 11;
    /// the prototype's 1.5 s split their bouts).
    public var maxStepSeconds: Double = 2.0
    /// MIN_BOUT_STEPS: ICs a bout needs: 4 ICs hold 2 strides (IC k → IC k + 2, alternating feet), the Mobilise-D
    /// minimum. Streaming opens a bout at this many ICs of one run; batch counts the strides of every run merged
    /// into a bout (`minBoutStrides`).
    public var minBoutInitialContacts: Int = 4
    /// Strides a bout needs in all its runs (Mobilise-D: ≥ 2 consecutive strides), from `minBoutInitialContacts`.
    public var minBoutStrides: Int { Swift.max(1, minBoutInitialContacts - 2) }
    /// Mobilise-D's maximum break inside a walking bout (Kluge et al. 2021; mobgap `MaxBreakCriteria(3 s)`): runs
    /// of walking whose first and last ICs are at most this far apart are one bout; a longer break ends it.
    public var maxBoutBreakSeconds: Double = 3.0
    /// BOUT_MIN_AMP: median cycle-lobe height a bout needs …
    public var minBoutLobeHeightG: Double = 0.05
    /// … at or above this cadence (steps/min). Slower, the trunk's pendulum accelerations shrink with the square of
    /// the step frequency (a = A·ω²), so the requirement scales by (cadence / this)², never below A_MIN: a walking-aid
    /// user at 45 steps/min has lobes of ≈ 0.03–0.05 g and is still walking (issue 11). Periodicity still guards.
    public var boutAmplitudeReferenceCadence: Double = 100

    /// BOUT_MIN_AMP for a run whose median step lasts `stepSeconds`.
    public func minBoutLobeHeightG(stepSeconds: Double) -> Double {
        let cadence = stepSeconds > 0 ? 60 / stepSeconds : boutAmplitudeReferenceCadence
        let scale = Swift.min(1, cadence / boutAmplitudeReferenceCadence)
        return Swift.max(minLobeHeightG, minBoutLobeHeightG * scale * scale)
    }
    /// STEP_MIN_REG: a step is walking when its local autocorrelation at about one step reaches this.
    public var minStepRegularity: Double = 0.40
    /// STEP_KEEP_REG: hysteresis, neighbours of walking steps need only this (keeps turns, initiation, termination).
    public var keepStepRegularity: Double = 0.15
    /// The closing step of a walking chain (`StepDetection.isClosingStep`) needs an interval of at least this
    /// fraction of the chain's median step (and at most `missedStepFactor` of it) …
    public var closingStepMinIntervalFraction: Double = 0.6
    /// … measured over the chain's last this-many steps (≈ 4 strides, as the streaming step time).
    public var closingStepChainSteps: Int = 9
    /// W_REG: half-window of that autocorrelation (≈ 2 strides in total) …
    public var regularityHalfWindowSeconds: Double = 1.25
    /// … widened to this many local step times when steps are slow (at 45 steps/min 1.25 s holds less than one
    /// step each side; the autocorrelation needs about two). 1.8 × 0.55 s < 1.25 s, so normal walking is unchanged.
    public var regularityMinHalfWindowSteps: Double = 1.8

    /// Half-window (samples) of the periodicity of a step whose lag is `lagSamples`.
    public func regularityHalfWindow(lagSamples: Int, rateHz: Double) -> Int {
        Swift.max(Int(regularityHalfWindowSeconds * rateHz), Int(regularityMinHalfWindowSteps * Double(lagSamples)))
    }
    /// Lags searched for the per-step periodicity, as fractions of the local step time L: [0.75 L, 1.33 L].
    public var regularityMinLagFraction: Double = 0.75
    public var regularityMaxLagFraction: Double = 1.33
    /// W_PEAK: the a_v peak (vpk) is searched in [lobe + start, lobe + end].
    public var peakWindowStartSeconds: Double = -0.15
    public var peakWindowEndSeconds: Double = 0.08

    // MARK: §4 IC, FC
    /// W_RISE: IC = steepest rise of a_v in [vpk + start, vpk + end] (onset of loading at heel strike).
    public var riseWindowStartSeconds: Double = -0.12
    public var riseWindowEndSeconds: Double = 0.0
    /// W_FC: FC = first local minimum of s_fine in [vpk + start, vpk + fraction · min(next step time, STEP_MAX)].
    public var finalContactWindowStartSeconds: Double = 0.04
    public var finalContactWindowStepFraction: Double = 0.6
    /// A first minimum later than this × the step after the loading peak is single support's trough, not the
    /// opposite toe-off (which comes within about half a step); the toe-off is then the first curvature peak before
    /// it (`FinalContact.locate`, docs/GAIT.md §5). 0.4–0.55 give the same results on the simulator and the lab data.
    public var finalContactLatestStepFraction: Double = 0.5

    // MARK: §5 left/right
    /// SIG_LR: Gaussian of the band-passed yaw rate (≈ 0.16–2.3 Hz with the TAU_HP high-pass).
    public var sigmaLateralitySeconds: Double = 0.08
    /// The ML acceleration score averages over [IC, IC + fraction · step time].
    public var lateralityWindowStepFraction: Double = 0.5
    /// The gyroscope score subtracts the mean yaw rate over ± this many step times around the IC (one stride,
    /// centred): the alternating part of the yaw rate averages out over a stride, a turn does not (0 = off).
    public var turnWindowSteps: Double = 1.0
    /// Weight of the normalised gyroscope score against the normalised acceleration score.
    public var gyroLateralityWeight: Double = 2.0
    /// Alternation runs are split where an interval exceeds this many median step times (a missed step).
    public var missedStepFactor: Double = 1.6
    /// … or falls below this many median step times (an extra contact, e.g. a second lobe inside a slow turning
    /// step): alternation is not trusted across it, each side of it takes its own parity.
    public var extraStepFactor: Double = 0.7

    // MARK: §6 pelvic tilt
    /// Cut-off of the first-order low-pass of acceleration for the gravity-based tilt angle.
    public var tiltAccCutoffHz: Double = 1.0
    /// τ of the complementary filter (gyroscope short-term, gravity long-term); also removes gyro bias drift.
    public var tiltComplementaryTauSeconds: Double = 1.0
    /// Quiet standing for the neutral posture: at least this long, with |gyro| < `standingMaxGyroDps`,
    /// ||acc| − 1| < `standingMaxAccDeviationG` and |acc − gravity estimate| < `standingMaxAccChangeG`.
    public var standingMinSeconds: Double = 2.0
    public var standingMaxGyroDps: Double = 5.0
    public var standingMaxAccDeviationG: Double = 0.05
    /// Not in the spec: without a gyroscope a slow lean keeps |acc| ≈ 1 g; this catches it (≈ 1.7° from the
    /// 1.5 s gravity estimate), so the neutral is not averaged over a posture change.
    public var standingMaxAccChangeG: Double = 0.03
    /// Sustained exaggerated anterior tilt while walking: stride-mean tilt ≥ this …
    public var anteriorTiltAlertDeg: Double = 10
    /// … over consecutive strides spanning at least this long raises a `PostureEvent`.
    public var anteriorTiltAlertSeconds: Double = 20

    // MARK: step length (Zijlstra & Hof 2003)
    /// The wearer's leg length, metres (floor to greater trochanter), the inverted pendulum's length; nil = step
    /// length and speed are not reported. Set by `--leg-length-cm`.
    public var legLengthM: Double?
    /// Zijlstra & Hof's constant correction of the pendulum's underestimate (it leaves out the travel during double
    /// support), with leg length as the pendulum length.
    public var stepLengthCorrectionFactor: Double = 1.25

    // MARK: §8 streaming
    /// SIG_CYCLE for the streaming build: FIR delay 0.135 s, keeps events within ≈ 0.29 s (the ×0.75 sensitivity run
    /// of §7: F1@.10 0.893, accuracy unchanged).
    public var streamingSigmaCycleSeconds: Double = 0.045
    /// A streaming lobe is final once the cycle signal drops below this fraction of its peak …
    public var streamingLobeDropFraction: Double = 0.5
    /// … or, at the latest, when waiting longer would emit its IC later than this (not in the spec: it bounds the
    /// latency of broad lobes, measured 0.28 s worst case on the lab data against 0.50 s without it).
    public var streamingMaxLatencySeconds: Double = 0.29
    /// Forgetting time constant of the running forward-axis statistics, in seconds of walking (0 = never forget, for
    /// a mount that cannot move).
    public var streamingAxisForgettingSeconds: Double = 60
    /// Walking steps of axis statistics needed before acceleration is used for left/right and tilt.
    public var streamingMinAxisSteps: Int = 10
    /// Step candidates kept for hysteresis and bout decisions (bounded memory).
    public var streamingStepHistory: Int = 64
    /// Step time assumed before the first confirmed interval (≈ 109 steps/min, typical adult walking); it only sets
    /// the first lag windows until real intervals replace it.
    public var streamingInitialStepSeconds: Double = 0.55
    /// Confirmed step intervals whose median is the running step time (≈ 4 strides: follows speed changes within a
    /// few seconds, one odd interval cannot move it).
    public var streamingStepIntervalCount: Int = 8
    /// Smoothing of the running scale of the left/right scores (≈ 1/10: about ten steps).
    public var streamingScoreScaleSmoothing: Double = 0.1
    /// Normalised left/right scores are clipped to ±this, so one atypical step (gait initiation, a stumble) cannot
    /// outvote the others.
    public var streamingScoreClip: Double = 2.0
    /// Confirmed steps whose scores decide the left/right parity …
    public var streamingParityWindow: Int = 8
    /// … plus this many look-ahead candidates.
    public var streamingParityLookAhead: Int = 2
    /// The first steps of an alternation run that starts inside an open bout (after a missed step or a pause ≤ 3 s)
    /// are held, confirmed but not emitted, until this many steps of the run are confirmed; the run's parity at that
    /// step then labels them all (docs/GAIT.md §11). 0 or 1 = off. Adds up to (this − 1) steps of delay to those
    /// confirmations only; provisional steps are emitted as before.
    public var streamingRunHoldSteps: Int = 4
    /// Recent non-rejected steps the live phase (`phase(at:)`) is computed from: two strides either side of the
    /// newest left IC with room for a missed or rejected one.
    public var streamingPhaseSteps: Int = 8

    public init() {}
}
