import Foundation

/// The detector's named parameters (aubio style: a few physical quantities with sane defaults). Every threshold
/// is in dB or seconds and is applied to energies normalised per sample, so none changes with the hop size or
/// the sample rate. Codable; a JSON file may give any subset of the fields (read it with Analysis's `ConfigLoader`,
/// which decodes a file over these defaults). docs/POPS.md explains each.
public struct PopConfig: Codable, Equatable, Sendable {
    /// Analysis hop (s): onset decisions are made every hop; the onset itself is then found to the sample.
    public var hopSeconds = 0.0005
    /// Lower edge of the detection band (8th-order Butterworth high-pass). Heel thumps (60–150 Hz), hum
    /// fundamentals and motion artefacts lie below it; tendon snaps (≥ ~400 Hz) above.
    public var highPassHz = 300.0
    /// The detection band is split in three sub-bands, each with its own floor and frame length, so a narrow ring
    /// competes only with the noise in its own band: low (highPassHz–bandSplitLowHz), mid, high (up to maxBandHz).
    public var bandSplitLowHz = 1000.0
    public var bandSplitHighHz = 3500.0
    /// Upper edge of the analysis (capped at 0.45 × the sample rate).
    public var maxBandHz = 7500.0
    /// The heel-thump band, watched to recognise thumps that leak into the detection band.
    public var thumpBandLowHz = 40.0
    public var thumpBandHighHz = 250.0
    /// Short-frame lengths per sub-band (s): long enough for ≥ 8 degrees of freedom (2 × bandwidth × length) of
    /// noise energy, so that one threshold gives every band about the same false-alarm rate, and short enough for
    /// a click (6 ms in the 700 Hz-wide low band, 1.5 ms in the wider mid and high bands).
    public var lowBandFrameSeconds = 0.006
    public var midBandFrameSeconds = 0.0015
    public var highBandFrameSeconds = 0.0015
    /// Onsets in the heel-thump band (40–250 Hz) open events too, judged by the contact signature: snaps ring down to
    /// 80 Hz. Its frame (the narrow low bands of `LowBandBank` use it too) is 12 ms, about the length of a low snap's
    /// ring and longer than the slowest heel-strike rise (8 ms): with 8 ms the frame ended part-way up a soft thump's
    /// rise, so its onset, extent and features varied step to step and the contact signature missed it (the 25 Hz
    /// soft-onset thump: 5–13 events per 65 heel strikes, 0–1 at 12 ms; `LowSnapFrameTests`). Best of 8–20 ms on the
    /// tuning family (docs/POPS-VALIDATION.md). It costs some of the weakest low rings (≈ 10 dB over the body noise).
    public var bassOnsets = true
    public var bassFrameSeconds = 0.012
    /// The thump band is noisier (brown body noise, motion and hum live there): its onsets must jump further.
    public var bassOnsetDb = 12.0
    public var bassMinSnrDb = 15.0
    /// Low snaps are also found by a bank of half-octave bands (70–320 Hz) run on the thump band decimated to one
    /// sample per hop (`LowBandBank`): a narrow band keeps a ring's energy and drops most of the brown body noise
    /// and thump that fill the wide band. Its onsets open thump-band events like the wide band's.
    public var bassBankOnsets = true
    public var bassBankOnsetDb = 14.0
    public var bassBankMinSnrDb = 15.0
    /// The local background an onset must jump above: mean energy over this window, ending `backgroundGapSeconds`
    /// before the frame. A gradual envelope (rustle) never jumps; a click does.
    public var backgroundSeconds = 0.016
    public var backgroundGapSeconds = 0.001
    /// Onset: frame energy at least `onsetDb` above max(local background, floor) and `minSnrDb` above the floor.
    public var onsetDb = 8.0
    public var minSnrDb = 8.0
    /// Inside an event, a jump this far over the local background is a further impact (a grind's next
    /// micro-impact) and keeps the event going.
    public var retriggerDb = 6.0
    /// Thump masking margin: a sub-band may hold the heel-thump band's energy scaled by the thump's spectral
    /// slope (−12 dB/octave, −6 when clipped) plus this many dB before an onset in it counts.
    public var thumpMaskMarginDb = 6.0
    /// Decisions run this late so the thump mask sees the thump band's peak (it builds up after the leak).
    public var thumpLookaheadSeconds = 0.01
    /// A broadband onset: two or more sub-bands jumping this far at once (and this much less over the floor).
    public var broadbandOnsetDb = 6.0
    /// An event stays active while any sub-band is `continueDb` above the background frozen at its onset.
    public var continueDb = 4.0
    /// An event ends after this long without activity; an onset within it joins the event. This is the minimum
    /// inter-onset interval against double onsets, and what keeps a grind (gaps of up to ~40 ms between its
    /// micro-impacts) as one event.
    public var mergeGapSeconds = 0.05 // 50 ms: live alerts stay within 100 ms (p99) of a sound's end
    /// After its last impact an event stays active while it rings above the onset's background, but no longer
    /// than this: a snap rings out within ~20 ms, so energy that stays up longer is something else (rustle).
    public var maxRingSeconds = 0.03
    /// An impact this long after the end of an event's core (its last counted impact and ring) is reported as
    /// an event of its own even though it fell inside the merge gap.
    public var splitGapSeconds = 0.03
    /// Inside an open event, a sub-band jump that would have opened an event on its own but rings too long to count
    /// as an impact (a snap 30–60 ms after a heel strike's click) is a split point too: it starts an event of its own
    /// when it lies more than `splitGapSeconds` after the core of the part before it. Off, such a snap was
    /// swallowed by the heel strike's event (docs/POPS.md, "Extent").
    public var splitRingingOnsets = true
    /// Longest event; a longer one is closed and a new one may start.
    public var maxEventSeconds = 0.4
    /// An event that opens at a contact (the heel strike's sound) ends, for its analysis, at the first impact this
    /// long after its start, which starts an event of its own: a grind starting 50–80 ms after a heel strike was
    /// swallowed by the heel strike's event (rejected with it, or timed at the heel strike). Longer than a snap's
    /// second slap (≤ 45 ms). 0 = off.
    public var contactSplitSeconds = 0.065
    /// A grind's first impacts can each stay under the onset thresholds (the local background is up from the ones
    /// before, and a 0.3–1 ms ring fills little of a frame), so the event opens at a later, louder one and is timed
    /// up to a quarter second late. At an onset the detector looks back up to this long for a chain of earlier
    /// impacts — each `retriggerDb` over its own background and `leadInMinSnrDb` over the floor, decaying like an
    /// impact, no more than `mergeGapSeconds` apart — and opens the event at the first (0 = off).
    public var leadInSeconds = 0.25
    public var leadInMinSnrDb = 6.0
    /// A grind is held while its train may continue: a piece starting within this long after its end joins it
    /// (`GrindTrain`; 0 = off). Only grinds wait; clicks keep their latency.
    public var grindTrainGapSeconds = 0.12
    /// Noise floor: `floorPercentile` of `floorFrameSeconds` frame energies over the last `floorWindowSeconds`.
    public var floorWindowSeconds = 4.0
    public var floorFrameSeconds = 0.01
    public var floorPercentile = 0.2
    /// The floor is never taken below this (dBFS RMS per band): below a 24-bit converter's noise, "noise" is
    /// rounding error of the float samples, whose level steps with the signal's magnitude and would look like onsets.
    public var minFloorDbfs = -110.0
    /// No onsets while the filters and the floor settle after the stream starts.
    public var warmupSeconds = 0.3
    /// Mains hum: probed for this long from the stream's start, then removed.
    public var mainsProbeSeconds = 2.0
    public var mainsHarmonics = 10
    /// A harmonic counts as hum when it stands this far above the spectrum 3 Hz either side.
    public var mainsToneDb = 10.0
    public var mainsNotchBandwidthHz = 4.0
    public var maxMainsNotches = 8
    /// Remove the hum from the detection band with a gated LMS canceller (`MainsHumCanceller`) instead of the
    /// notches, which ring for ~80 ms after a sound with energy near a harmonic (docs/POPS.md, "Signal path").
    public var humCanceller = false
    /// The same on the heel-thump band, whose notches (fundamental and harmonics up to ~325 Hz) rang after clipped
    /// heel thumps into false low "snaps" ~130 ms after contacts. With both on: tuning F1 0.796 → 0.822, held-out
    /// 0.624 → 0.705 (docs/POPS-VALIDATION.md). Not yet the default: with both on, 10 hand-made near-contact tests
    /// (low snaps in the first steps and in thump rings, soft-onset heel strikes) fail; that is the next work.
    public var bassHumCanceller = false
    /// A noted initial contact within [onset − before, onset + after] marks the event as near a heel strike.
    public var contactBeforeSeconds = 0.03
    public var contactAfterSeconds = 0.12
    /// A low sound (one the thump band opened) starting within this long after a contact (noted, or predicted from
    /// the step rhythm while the latest contacts are not yet noted) is that contact's heel thump, whatever the
    /// signature says: thumps of 25–160 Hz arrive 0–40 ms after the contact and their onset, extent and features
    /// vary step to step more than the signature's match distance, while a low snap exactly there cannot be told
    /// from them by band or shape. 0 = off.
    public var lowAfterContactSeconds = 0.05
    /// Hold finished events this long after their onset before deciding them, so that contacts arriving late
    /// (live gait detection lags by up to ~300 ms) still count as context. 0 = decide at once.
    public var contactLatencySeconds = 0.0
    /// Contact-signature learning (`ContactSignature`): a sound starting within [contact − before, contact + after]
    /// is time-locked to that contact (wide enough for contact times 50 ms early or late and a thump arriving up to
    /// 40 ms after the contact).
    public var learnContactSignature = true
    public var signatureBeforeSeconds = 0.06
    public var signatureAfterSeconds = 0.10
    /// Largest `ContactSignature` distance that still matches the heel-strike sound: near a (noted or predicted)
    /// contact, far from every contact, with no contact rhythm known, and — before any signature exists — to a
    /// sound heard in the last 3 s.
    public var signatureNearDistance = 2.0
    public var signatureFarDistance = 1.0
    public var signatureDistance = 1.5
    public var signatureBootstrapDistance = 1.5
    /// Before the first signature exists (the first steps of a session only), a low sound — opened by the thump band,
    /// where heel strikes are heard — is held until a contact near it is noted (live contacts come ~300 ms late), a
    /// signature exists, or this long has passed, then judged; detection-band sounds are never held, so their alerts
    /// stay on time. Without it, a quiet wearer's first heard heel strike (often the second or third step: the first
    /// may make no sound at all) had nothing to be compared with and was called a snap: on 24 tuning walks without
    /// pops 5 of 13 false events (docs/POPS-VALIDATION.md). 0 = off.
    public var signatureBootstrapSeconds = 0.5
    /// A distinct onset at least this long after the onset of a sound taken for the heel strike is judged on its own
    /// (`PopDetector.innerSound`; 0: off).
    public var innerOnsetMinSeconds = 0.004
    /// ... measured against the energy of this stretch just before its frame (inside the heel strike's sound).
    public var innerBackgroundSeconds = 0.003
    /// ... by this much (dB; over 3 ms frames, finer than the onset frames, the heel strike's ring falling beneath).
    public var innerOnsetDb = 6.0
    /// ... and is a pop only as a snap whose envelope decays over at least this long (s).
    public var innerMinDecaySeconds = 0.001
    /// ... and whose heel-thump band carries at most this much more energy than the detection band over it (dB).
    public var innerMaxThumpRatioDb = 12.0
    /// ... and whose ring rises at least this far over the heel strike's sound in the low band, where tendons ring
    /// (dB, hop peak over the inner background) — unless it stands `innerLoudSnrDb` over the floor: a 350 Hz snap
    /// inside a 160 Hz thump shares the low band with the thump's overtone and rises only 8–12 dB there, but at
    /// 18–20 dB over the floor it is no blip of body noise.
    public var innerMinLowRiseDb = 12.0
    public var innerLoudSnrDb = 18.0
    /// Inner onsets are judged only for a wearer whose heel-strike sounds hold one at most this often (recent share).
    public var innerMaxRate = 0.2
    /// Where the microphone sits (`--mic-side`): pop phases on the stance leg (center) or on one leg's stride.
    public var micSide = MicSide.center
    /// Raw |sample| at or above this counts as clipped.
    public var clipLevel = 0.999
    public var rules = PopRules()

    public init() {}
}

/// Thresholds of the rejection and classification rules (docs/POPS.md gives the physics of each).
public struct PopRules: Codable, Equatable, Sendable {
    /// Reject as heel thump when the thump band carries at least this much more energy than the detection band
    /// (away from a noted contact / near one, where a thump is expected and less evidence is needed).
    public var thumpRatioDb = 20.0
    public var thumpRatioNearContactDb = 10.0
    /// Once a heel-strike signature is learned, a sound unlike it is rejected as a thump only when its thump-band
    /// ratio exceeds `thumpRatioDb` by this much more.
    public var signatureThumpMarginDb = 10.0
    /// Reject as rustle (a noise burst): crest factor and kurtosis below these (Gaussian noise: crest ≈ 3.5–4,
    /// kurtosis 3) *and* either a slow rise or no decay (the envelope still up after `rustleMinDecaySeconds`).
    public var rustleMaxCrest = 5.0
    public var rustleMaxKurtosis = 4.5
    public var rustleMinRiseSeconds = 0.008
    public var rustleMinDecaySeconds = 0.03
    /// Cavitation vs snap, log-odds of cavitation (fitted on the tuning family, docs/POPS.md):
    /// z = `ringWeight` × log₂(`ringBoundarySeconds` / ring decay) + `lowShareWeight` × (−thump ratio / 10 dB, the
    /// ratio clamped to [−20, 15] dB) + `riseWeight` × rise (ms, ≤ 10) + `kindBias`; p = 1 / (1 + e^(−z)).
    /// A bubble's modes ring out in 0.7–9 ms (20 dB) after an impulsive start and put nothing below 250 Hz; a tendon
    /// rings 9–70 ms, starts over 0.5–4 ms and its fundamental (80–900 Hz) often reaches the thump band. Pitch is
    /// counted only above `pitchAboveSnapHz` (`pitchWeight` × log₂(pitch / 1 kHz)): across the ranges the two
    /// overlap from 0.4 to 0.9 kHz, but a ring above 1 kHz lies above every tendon's fundamental (only its weaker
    /// 1–3 kHz part sits there). A ring measured below 300 Hz is a snap.
    public var ringBoundarySeconds = 0.0085
    public var pitchAboveSnapHz = 1000.0
    public var pitchWeight = 1.0
    public var ringWeight = 2.2
    public var lowShareWeight = 1.1
    public var riseWeight = -0.7
    public var kindBias = -1.4
    /// A single click or snap (with its second slap) is shorter than this (s).
    public var clickMaxDurationSeconds = 0.1
    /// Grind: at least this many micro-impulses over at least this long; or 3 impacts whose rings are short
    /// (a snap's second slap rings as long as the first) at least `grindPieceMinSeconds` apart in all.
    public var grindMinImpulses = 4
    public var grindMinDurationSeconds = 0.04
    public var grindPieceMinSeconds = 0.015
    /// A heel strike's broadband contact transient: a click at most this long, near a contact, after which the
    /// heel-thump band rises this far above its level before the click (docs/POPS.md).
    public var contactTransientMaxSeconds = 0.004
    public var contactTransientThumpRiseDb = 10.0
    /// A longer sound followed the same way (a loud or clipped heel strike whose leak into the band lasts its whole
    /// ring) is the contact's when the heel-thump band also carries this much more energy than the detection band
    /// over the sound itself: a joint sound that leaks into the thump band (a snap near 300 Hz) does not. How long
    /// that leak stays over the band's background grows with the heel strike's level: a ring falls 8.7 dB per decay
    /// time constant (10–50 ms documented), so one 54 dB over the floor lasts ~6 time constants, and 50 ms let a
    /// 104 ms heel strike through as a "snap" on the tuning walks without pops.
    public var contactTransientLongMaxSeconds = 0.12
    public var contactTransientLongThumpRatioDb = 10.0
    /// Below this best score the kind is `unknown`.
    public var minKindScore = 0.35

    public init() {}
}
