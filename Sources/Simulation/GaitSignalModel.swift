import Foundation

/// Accelerometer and gyroscope of a sensor on the lower back of the scheduled walker.
///
/// Pelvis frame: x forward, y left, z up. While walking, the trunk moves like an inverted pendulum over each stance
/// foot (Zijlstra & Hof 2003): vertical acceleration peaks upward just after each initial contact (the centre of
/// mass is lowest in double support) and is least at mid-stance; forward acceleration peaks around contact and
/// brakes through mid-stance; medio-lateral acceleration swings at stride frequency, pointing away from the stance
/// foot (the pendulum falls medially). Each contact adds a short heel-strike transient. The pelvis tilts twice per
/// stride (anterior peak near mid-stance), drops and rotates once per stride. Gravity is rotated through the pelvis
/// orientation and the sensor's mounting; the gyroscope sees the pelvis's angular rates in sensor axes.
public struct GaitSignalModel: Sendable {
    public let schedule: WalkSchedule
    public let scenario: Scenario
    let mount: Mat3
    let mountT: Mat3

    public init(schedule: WalkSchedule, scenario: Scenario) {
        self.schedule = schedule
        self.scenario = scenario
        mount = .mount(scenario.mount)
        mountT = mount.transposed
    }

    /// State of the gait at time t, found from a step cursor the caller keeps (calls are monotone in practice;
    /// the cursor also handles going back).
    struct Phase {
        var walking = false
        /// 0…1 within the current step, 0…1 within the current left stride.
        var stepPhase = 0.0
        var stridePhase = 0.0
        var intensity = 0.0
        var cadence = 0.0
        var sinceContact = Double.infinity
    }

    func phase(at t: Double, cursor: inout Int) -> Phase {
        let steps = schedule.steps
        if steps.isEmpty { return Phase() }
        while cursor + 1 < steps.count && steps[cursor + 1].icSeconds <= t { cursor += 1 }
        while cursor > 0 && steps[cursor].icSeconds > t { cursor -= 1 }
        var p = Phase()
        let s = steps[cursor]
        guard t >= s.icSeconds else { return p }
        p.sinceContact = t - s.icSeconds
        let next = cursor + 1 < steps.count && steps[cursor + 1].bout == s.bout ? steps[cursor + 1] : nil
        guard let n = next else {
            // After the closing contact: the walker settles over a fraction of a step.
            p.sinceContact = t - s.icSeconds
            if t - s.icSeconds < s.durationSeconds {
                p.walking = true
                p.stepPhase = (t - s.icSeconds) / s.durationSeconds
                p.intensity = 0.5 * (1 - p.stepPhase)
                p.cadence = 60 / s.durationSeconds
                p.stridePhase = s.side == .left ? p.stepPhase / 2 : 0.5 + p.stepPhase / 2
            }
            return p
        }
        p.walking = true
        let d = n.icSeconds - s.icSeconds
        p.stepPhase = (t - s.icSeconds) / d
        p.intensity = s.intensity + (n.intensity - s.intensity) * p.stepPhase
        p.cadence = 60 / d
        p.stridePhase = s.side == .left ? p.stepPhase / 2 : 0.5 + p.stepPhase / 2
        return p
    }

    /// Pelvis angles (degrees): tilt (+ anterior), obliquity, rotation, plus the heading from turns.
    func angles(at t: Double, cursor: inout Int) -> (tilt: Double, obliquity: Double, rotation: Double, heading: Double) {
        let p = phase(at: t, cursor: &cursor)
        let tl = scenario.tilt
        var tilt = 0.0, obl = 0.0, rot = 0.0
        if p.walking {
            let k = min(p.intensity, 1)
            tilt = tl.walkingDeg * min(1, k * 1.5) + tl.romDeg / 2 * k * cos(2 * .pi * (p.stepPhase - 0.45))
            obl = tl.obliquityRomDeg / 2 * k * sin(2 * .pi * p.stridePhase)
            // Rotation (+ = turning left) crosses its mid-point at each contact, so its rate is at its extreme
            // there: most negative at a left IC, most positive at a right IC — the sign McCamley et al. (2012) read
            // sides from, and the phase of the lab recordings (HA-001: yaw rate at left ICs −11 to −19 °/s, its
            // minimum within 0.1 s of the IC, zero ≈ 0.3 s later). It peaked at the contacts before, which left
            // the yaw rate ≈ 0 there and made the simulator's gyroscope sides rest on filter phase alone.
            rot = -tl.rotationRomDeg / 2 * k * sin(2 * .pi * p.stridePhase)
        }
        for m in schedule.tiltMoves where t >= m.startSeconds && t < m.startSeconds + m.seconds {
            // Slowly forward to the anterior limit, back through neutral to the posterior limit, back to neutral.
            let u = (t - m.startSeconds) / m.seconds
            tilt += u < 0.5 ? m.anteriorDeg * sin(2 * .pi * u) : -m.posteriorDeg * sin(2 * .pi * u)
        }
        // Slow postural sway when standing, small.
        tilt += 0.3 * sin(2 * .pi * 0.23 * t)
        var heading = 0.0
        for turn in schedule.turns where t > turn.startSeconds {
            let u = min((t - turn.startSeconds) / turn.seconds, 1)
            heading += turn.degrees * (u - sin(2 * .pi * u) / (2 * .pi))
        }
        return (tilt, obl, rot, heading)
    }

    /// True tilt (degrees, + anterior, relative to neutral) at time t.
    public func tiltDeg(at t: Double) -> Double {
        var c = 0
        return angles(at: t, cursor: &c).tilt
    }

    /// Linear acceleration of the pelvis (g) in walking axes (forward, left, up), gravity excluded; a turn's
    /// centripetal part is added by `sample`.
    public func linearAccelerationG(at t: Double, cursor: inout Int) -> SIMD3<Double> {
        let p = phase(at: t, cursor: &cursor)
        let g = scenario.gait.intensity
        var lin = SIMD3<Double>(0, 0, 0) // forward, left, up (linear acceleration, g)
        if p.walking {
            let c = p.cadence / 110
            let k = p.intensity * g
            let av = 0.26 * c * c * k, aap = 0.19 * c * c * k, aml = 0.14 * c * k
            let ph = p.stepPhase, ps = p.stridePhase
            // Loading response: ground reaction rises sharply from heel strike, so vertical acceleration climbs
            // fastest at the contact itself and peaks ~35 ms later (as lower-back recordings show), riding on the
            // slower pendulum swing that peaks in double support.
            let tau = p.sinceContact
            let loading = tau < 0.3 ? (tau / 0.028) * exp(1 - tau / 0.028) : 0
            // After the trailing foot's toe-off (a dip, below) single support brings a second, broader hump. It
            // follows that toe-off (0.14 step later; 0.36 step after the IC at the default 61 % stance) rather than
            // a fixed fraction of the step: a long-stance walker (72 % stance, walking aid) lifts the trailing foot
            // at 0.44 step, and a hump fixed at 0.36 step sat in double support, before the toe-off dip.
            let steps = schedule.steps
            var humpSeconds = 0.36 * (60 / p.cadence)
            if cursor >= 1, cursor < steps.count, steps[cursor - 1].bout == steps[cursor].bout {
                humpSeconds = steps[cursor - 1].fcSeconds - steps[cursor].icSeconds + 0.14 * (60 / p.cadence)
            }
            let hump = exp(-0.5 * pow((p.sinceContact - humpSeconds) / 0.05, 2))
            // The pelvis moves on a trajectory: over a step its velocity returns to where it was, so every
            // acceleration term has zero mean over the step. The pulses (loading 0.0761 s·av, hump 0.1253 s·av,
            // toe-off dip −0.0364 s·av, heel-strike ring 0.00124 s·g) are balanced by a constant over the step.
            let stepSeconds = 60 / p.cadence
            // The pendulum's swing scales with the square of the step frequency (a = A·ω²); the contact pulses
            // with its first power: they stop or release a vertical velocity ∝ A·ω over a loading time of tens of
            // ms that does not shrink at slow cadence (so a 45 steps/min walker still shows a heel-strike peak).
            let ap = 0.26 * c * k
            let pulses = ap * (0.9 * 0.07609 + 0.4 * 0.12533 - 0.03635) + 0.25 * g * 0.004968
            lin.z = av * (0.7 * cos(2 * .pi * (ph - 0.12)) + 0.3 * cos(4 * .pi * (ph - 0.07)))
                + ap * (0.9 * loading + 0.4 * hump) - pulses / stepSeconds
            // Toe-off of the trailing foot unloads it: a brief dip in vertical acceleration at each final contact.
            for k in max(0, cursor - 1)...cursor where k < steps.count {
                let d = (t - steps[k].fcSeconds) / 0.025
                if abs(d) < 4 { lin.z -= 0.58 * ap * exp(-0.5 * d * d) }
            }
            lin.x = aap * (cos(2 * .pi * (ph + 0.02)) + 0.3 * cos(4 * .pi * (ph + 0.1))) + 0.5 * 0.25 * g * 0.004968 / stepSeconds
            lin.y = -aml * (sin(2 * .pi * ps) + 0.2 * sin(6 * .pi * ps))
        }
        if p.sinceContact < 0.1 {
            // Heel-strike transient: a damped ~25 Hz ring, upward then braking.
            let tau = p.sinceContact
            let h = 0.25 * g * exp(-tau / 0.012) * sin(2 * .pi * 25 * tau)
            lin.z += h
            lin.x -= 0.5 * h
        }

        return lin
    }

    /// One sample: accelerometer (g) and gyroscope (deg/s), in sensor axes, noise-free.
    public func sample(at t: Double, cursor: inout Int) -> (acc: SIMD3<Double>, gyro: SIMD3<Double>) {
        var lin = linearAccelerationG(at: t, cursor: &cursor)
        let p = phase(at: t, cursor: &cursor)
        var c1 = cursor, c2 = cursor, c0 = cursor
        let a = angles(at: t, cursor: &c0)
        let dt = 0.002
        let a1 = angles(at: t - dt, cursor: &c1), a2 = angles(at: t + dt, cursor: &c2)
        let headingRate = (a2.heading - a1.heading) / (2 * dt)
        if p.walking {
            // Centripetal acceleration in a turn: v·ω with v ≈ 1.2 m/s.
            lin.y += 1.2 * headingRate * .pi / 180 / 9.80665
        }
        let pelvis = Mat3.rz(a.rotation) * Mat3.rx(a.obliquity) * Mat3.ry(a.tilt)
        let specificForce = lin + SIMD3(0, 0, 1)
        let inPelvis = pelvis.transposed.apply(specificForce)
        let acc = mountT.apply(inPelvis)
        let rates = SIMD3((a2.obliquity - a1.obliquity) / (2 * dt), (a2.tilt - a1.tilt) / (2 * dt),
                          (a2.rotation - a1.rotation) / (2 * dt) + headingRate)
        let gyro = mountT.apply(rates)
        return (acc, gyro)
    }
}
