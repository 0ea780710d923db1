"""gaitpop gait-event prototype (pure numpy) -- reference implementation of ALGORITHM.md.

Input : acc (n,3) in g (m/s^2 is auto-detected and converted), any sensor mounting, any fs (50-400 Hz);
        gyr (n,3) in deg/s, same sensor frame, optional.
Output: walking bouts, initial contacts (IC, with side), final contacts (FC), cadence, body axes, pelvic tilt.

Every filter is one of three O(n) primitives, all parameterised in SECONDS so they scale with fs:
  ema(x, tau)        1st-order IIR low-pass  y += a*(x-y), a = 1-exp(-1/(tau*fs))   (causal)
  gauss(x, sigma, d) symmetric FIR = sampled Gaussian (d=0) or its derivative (d=1), half-width
                     h = ceil(3*sigma*fs) samples; output centred (streaming: delayed by h samples)
  plain argmax/argmin searches in windows given in seconds.
Body frame produced: V = up, AP = forward, ML = V x AP = LEFT (right-handed, ISO 8855-like: x fwd, y left, z up).
"""
from __future__ import annotations

import math
import numpy as np

# ----------------------------------------------------------------------------------------------
# Constants (all physical units; none fitted to the lab files -- see ALGORITHM.md for the why)
# ----------------------------------------------------------------------------------------------
TAU_GRAVITY = 1.5        # s   EMA time constant of the gravity estimate (>> step period 0.4-1.2 s)
TAU_HP = 1.0             # s   EMA used as DC-removal (high-pass ~0.16 Hz) for a_v, a_h, yaw rate
SIG_CYCLE = 0.06         # s   Gaussian for the one-lobe-per-step "cycle" signal (-3 dB ~ 3.1 Hz)
SIG_FINE = 0.02          # s   Gaussian for event timing (-3 dB ~ 9.4 Hz)
SIG_LR = 0.08            # s   Gaussian for the yaw-rate laterality signal (~0.16-2.3 Hz band)
A_MIN = 0.03             # g   minimum cycle-lobe height of a step candidate (noise floor of standing ~0.005 g)
STEP_MIN = 0.25          # s   min step time  (240 steps/min)
STEP_MAX = 1.50          # s   max step time inside a bout (40 steps/min; slow pathological gait)
MIN_BOUT_STEPS = 4       # ICs per bout (= 3 steps, ~ Mobilise-D "2 strides")
BOUT_MIN_AMP = 0.05      # g   median cycle-lobe height of a bout
STEP_MIN_REG = 0.40      # -   min local normalised autocorrelation of a_v at ~1 step lag
STEP_KEEP_REG = 0.15     # -   hysteresis: neighbours of walking steps need only this
W_REG = 1.25             # s   half-window of that autocorrelation (~2 strides in total)
W_PEAK = (-0.15, 0.08)   # s   search window for the a_v peak around the cycle lobe maximum
W_RISE = (-0.12, 0.0)    # s   window (rel. a_v peak) for the steepest a_v rise
W_FC = (0.04, 0.60)      # FC = first local min of a_v in [a_v peak + 0.04 s, a_v peak + 0.6 * step time]
G = 9.80665


# ----------------------------------------------------------------------------------------------
# Filter primitives
# ----------------------------------------------------------------------------------------------
def ema(x, tau, fs, x0=None):
    """Causal first-order low-pass (exponential moving average), state initialised to x[0]."""
    x = np.asarray(x, float)
    a = 1.0 - math.exp(-1.0 / (tau * fs))
    y = np.empty_like(x)
    s = x[0].copy() if x0 is None else x0
    for i in range(len(x)):          # Swift: plain loop; here kept explicit for clarity
        s = s + a * (x[i] - s)
        y[i] = s
    return y


def _ema_fast(x, tau, fs):
    """Vectorised identical EMA (scipy lfilter) used for speed in Python."""
    from scipy.signal import lfilter
    x = np.asarray(x, float)
    a = 1.0 - math.exp(-1.0 / (tau * fs))
    zi_shape = (1,) + x.shape[1:]
    zi = ((1 - a) * x[0]).reshape(zi_shape)
    y, _ = lfilter([a], [1.0, a - 1.0], x, axis=0, zi=zi)
    return y


def gauss_kernel(sigma, fs, deriv=0):
    """Sampled Gaussian (unit DC gain) or derivative-of-Gaussian (unit slope gain, units 1/s)."""
    h = int(math.ceil(3.0 * sigma * fs))
    k = np.arange(-h, h + 1) / fs
    w = np.exp(-0.5 * (k / sigma) ** 2)
    w /= w.sum()
    if deriv == 0:
        return w
    d = k * w                                   # correlation kernel of d/dt (odd: + for future samples)
    d /= np.sum(d * k)                          # normalise so a unit ramp (1 per second) gives exactly 1
    return d


def gauss(x, sigma, fs, deriv=0):
    """Centred FIR, y[n] = sum_{m=-h..h} k[m] * x[n+m]; edges by edge-value padding.
    Streaming = the same output delayed by h samples."""
    k = gauss_kernel(sigma, fs, deriv)
    h = len(k) // 2
    xp = np.concatenate([np.full(h, x[0]), x, np.full(h, x[-1])])
    return np.correlate(xp, k, mode="valid")


# ----------------------------------------------------------------------------------------------
# 1. Orientation
# ----------------------------------------------------------------------------------------------
def to_g(acc):
    acc = np.asarray(acc, float)
    return acc / G if np.median(np.linalg.norm(acc, axis=1)) > 4.0 else acc


def gravity_dir(acc, fs):
    """u(t): unit vector pointing UP in sensor coordinates (accelerometer measures +1 g upward at rest)."""
    g = _ema_fast(acc, TAU_GRAVITY, fs)
    return g / np.linalg.norm(g, axis=1, keepdims=True)


def horizontal_basis(u):
    """Two unit vectors orthogonal to u (deterministic: Gram-Schmidt on the sensor axis least aligned with u)."""
    e = np.zeros(3); e[np.argmin(np.abs(u))] = 1.0
    e1 = e - np.dot(e, u) * u; e1 /= np.linalg.norm(e1)
    e2 = np.cross(u, e1)
    return e1, e2


def estimate_ap(acc_seg, u, fs, step_T):
    """Forward (AP) unit vector from a walking segment.

    axis : AP acceleration repeats every step, ML acceleration alternates sign every step (it follows the
           stride).  So the lag-one-step covariance M = sym(E[h(t) h(t+T)^T]) of the horizontal acceleration h
           has its largest eigenvalue along AP (and a negative one along ML).
    sign : inverted pendulum -- forward velocity is maximal when the trunk is lowest, so a_AP ~ -v_V, i.e.
           a_AP leads a_V by a quarter step: corr(a_AP(t), a_V(t+T/4)) > 0 for the forward direction.
    """
    e1, e2 = horizontal_basis(u)
    a = acc_seg - acc_seg.mean(axis=0)
    a = np.column_stack([gauss(a[:, j], 0.04, fs) for j in range(3)])  # mild low-pass (<~5 Hz)
    h = np.column_stack([a @ e1, a @ e2])
    av = a @ u
    L = max(1, int(round(step_T * fs)))
    if len(h) <= L + 2:
        return None, 0.0
    C = h[:-L].T @ h[L:]
    M = 0.5 * (C + C.T)
    # closed-form eigen of a symmetric 2x2 (Swift-friendly)
    p, q, r = M[0, 0], M[0, 1], M[1, 1]
    theta = 0.5 * math.atan2(2 * q, p - r)           # direction of the largest eigenvalue
    d2 = np.array([math.cos(theta), math.sin(theta)])
    ap = d2[0] * e1 + d2[1] * e2
    q4 = max(1, int(round(step_T * fs / 4)))
    x = a @ ap
    s = np.dot(x[:-q4], av[q4:]) / (np.linalg.norm(x[:-q4]) * np.linalg.norm(av[q4:]) + 1e-12)
    if s < 0:
        ap, s = -ap, -s
    return ap, s                                     # s in [0,1]: confidence of the sign


# ----------------------------------------------------------------------------------------------
# 2./3. Steps, bouts, IC, FC, side
# ----------------------------------------------------------------------------------------------
def _win(x, c, w0, w1, fs, fn):
    i0 = max(0, c + int(round(w0 * fs))); i1 = min(len(x), c + int(round(w1 * fs)) + 1)
    if i1 <= i0:
        return c
    return i0 + int(fn(x[i0:i1]))


def _peaks_greedy(x, thr, min_dist):
    """Local maxima >= thr; keep highest first, suppress others closer than min_dist samples (NMS)."""
    i = np.flatnonzero((x[1:-1] > x[:-2]) & (x[1:-1] >= x[2:]) & (x[1:-1] >= thr)) + 1
    order = i[np.argsort(-x[i], kind="stable")]
    taken = np.zeros(len(x), bool); keep = []
    for p in order:
        lo, hi = max(0, p - min_dist + 1), min(len(x), p + min_dist)
        if not taken[lo:hi].any():
            keep.append(p); taken[p] = True
    return np.sort(np.array(keep, int))


def _acf_at(x, L):
    if L <= 0 or len(x) <= L + 1:
        return 0.0
    a, b = x[:-L], x[L:]
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12))


def detect(acc, fs, gyr=None, return_signals=False):
    acc = to_g(acc)
    n = len(acc)
    u = gravity_dir(acc, fs)
    av = np.einsum("ij,ij->i", acc, u)                  # vertical specific force (g), ~1 at rest
    av_hp = av - _ema_fast(av, TAU_HP, fs)
    cyc = gauss(av_hp, SIG_CYCLE, fs)                    # one positive lobe per step (loading response)
    s_fine = gauss(av, SIG_FINE, fs)
    ds_fine = gauss(av, SIG_FINE, fs, deriv=1)

    # --- step candidates from the vertical signal only (orientation: gravity only) ---
    lobes = _peaks_greedy(cyc, A_MIN, int(round(STEP_MIN * fs)))
    vpk = np.array([_win(s_fine, p, *W_PEAK, fs, np.argmax) for p in lobes], int)
    ok = np.r_[True, np.diff(vpk) >= STEP_MIN * fs * 0.8] if len(vpk) else np.zeros(0, bool)
    lobes, vpk = lobes[ok], vpk[ok]

    # --- per-step periodicity: best normalised autocorrelation of a_v in a +-W_REG window around the step,
    #     over lags 0.75-1.33 x the local step time (walking repeats itself every step; posture changes,
    #     isolated bumps, shuffling do not) ---
    reg = np.zeros(len(vpk))
    for k in range(len(vpk)):
        nb = [vpk[k] - vpk[k - 1]] if k > 0 else []
        nb += [vpk[k + 1] - vpk[k]] if k + 1 < len(vpk) else []
        nb = [x for x in nb if x <= STEP_MAX * fs]
        if not nb:
            continue
        L = int(min(nb))
        i0 = max(0, vpk[k] - int(W_REG * fs)); i1 = min(n, vpk[k] + int(W_REG * fs))
        seg = av_hp[i0:i1] - av_hp[i0:i1].mean()
        reg[k] = max(_acf_at(seg, l) for l in range(int(0.75 * L), int(1.33 * L) + 1))
    # hysteresis: a step is walking if it is periodic (>= STEP_MIN_REG) or if it is adjacent (within
    # STEP_MAX) to a walking step and still mildly periodic (>= STEP_KEEP_REG) -- keeps turns / gait
    # initiation / termination inside the bout
    good = reg >= STEP_MIN_REG
    for _ in range(len(vpk)):
        grow = good.copy()
        grow[1:] |= good[:-1] & (np.diff(vpk) <= STEP_MAX * fs) & (reg[1:] >= STEP_KEEP_REG)
        grow[:-1] |= good[1:] & (np.diff(vpk) <= STEP_MAX * fs) & (reg[:-1] >= STEP_KEEP_REG)
        if (grow == good).all():
            break
        good = grow

    # --- bouts: chains of periodic candidates with plausible step times, gated by amplitude ---
    bouts = []
    gi = np.flatnonzero(good)
    if len(gi):
        brk = np.flatnonzero(np.diff(vpk[gi]) > STEP_MAX * fs) + 1
        for grp in np.split(gi, brk):
            if len(grp) < MIN_BOUT_STEPS:
                continue
            T = float(np.median(np.diff(vpk[grp]))) / fs
            amp = float(np.median(cyc[lobes[grp]]))
            if amp >= BOUT_MIN_AMP:
                bouts.append(dict(idx=grp, T=T, reg=float(np.median(reg[grp])), amp=amp))

    ics, fcs, sides, out_bouts = [], [], [], []
    axes = []
    for b in bouts:
        grp, T = b["idx"], b["T"]
        pk = vpk[grp]
        i0 = max(0, pk[0] - int(0.3 * fs)); i1 = min(n, pk[-1] + int(0.3 * fs))
        ub = u[i0:i1].mean(axis=0); ub /= np.linalg.norm(ub)
        ap, sconf = estimate_ap(acc[i0:i1], ub, fs, T)
        ml = np.cross(ub, ap)                            # LEFT
        axes.append(dict(V=ub, AP=ap, ML=ml, sign_conf=sconf))
        # IC: steepest rise of the vertical acceleration (loading response onset) before each a_V peak
        ic = np.array([_win(ds_fine, p, *W_RISE, fs, np.argmax) for p in pk], float)
        # FC (toe-off of the contralateral foot): first a_V minimum after the loading peak
        fc = []
        for k, p in enumerate(pk):
            Tk = (pk[k + 1] - p) if k + 1 < len(pk) else T * fs
            j0 = p + int(round(W_FC[0] * fs)); j1 = min(n - 1, p + int(round(W_FC[1] * min(Tk, STEP_MAX * fs))))
            seg = s_fine[j0:j1 + 1]
            loc = np.flatnonzero((seg[1:-1] < seg[:-2]) & (seg[1:-1] <= seg[2:])) + 1 if len(seg) > 2 else []
            fc.append(j0 + (loc[0] if len(loc) else int(np.argmin(seg))) if len(seg) else p)
        fc = np.array(fc, float)
        # side
        mlacc = acc[i0:i1] @ ml
        ml_hp = gauss(mlacc - _ema_fast(mlacc, TAU_HP, fs), 0.04, fs)
        score_acc = []
        for k, c in enumerate(ic):
            c = int(round(c)) - i0
            h = max(2, int(round(0.5 * T * fs)))
            score_acc.append(-ml_hp[max(0, c):c + h].mean())     # left IC -> trunk accelerates RIGHT (-ML)
        score = np.array(score_acc)
        score = score / (np.std(score) + 1e-12)
        if gyr is not None:
            yaw = np.asarray(gyr[i0:i1], float) @ ub
            yaw_bp = gauss(yaw - _ema_fast(yaw, TAU_HP, fs), SIG_LR, fs)
            sg = np.array([-yaw_bp[min(len(yaw_bp) - 1, int(round(c)) - i0)] for c in ic])  # left IC: yaw < 0
            score = score + 2.0 * sg / (np.std(sg) + 1e-12)
        # enforce alternation inside runs without a missing step (gap < 1.6 median step time)
        side = np.empty(len(ic), object)
        runs = np.split(np.arange(len(ic)), np.flatnonzero(np.diff(ic) > 1.6 * T * fs) + 1)
        for r in runs:
            alt = (-1.0) ** np.arange(len(r))
            par = 1.0 if np.dot(alt, score[r]) >= 0 else -1.0
            side[r] = np.where(alt * par > 0, "left", "right")
        ics += list(ic / fs); fcs += list(fc / fs); sides += list(side)
        out_bouts.append(dict(start_s=ic[0] / fs, end_s=ic[-1] / fs, n_ic=len(ic),
                              cadence_spm=60.0 * (len(ic) - 1) / ((ic[-1] - ic[0]) / fs),
                              regularity=b["reg"], amp_g=b["amp"], AP=ap, ML=ml, V=ub, sign_conf=sconf))
    res = dict(ic_s=np.array(ics), ic_side=np.array(sides, dtype=object), fc_s=np.array(fcs), bouts=out_bouts)
    if return_signals:
        res.update(u=u, av=av, cyc=cyc, lobes=lobes, vpk=vpk)
    return res


# ----------------------------------------------------------------------------------------------
# 5. Pelvic tilt (sagittal, + anterior) relative to a standing neutral
# ----------------------------------------------------------------------------------------------
def pelvic_tilt(acc, fs, u0, ml, gyr=None, tau_cf=1.0, fc_acc=1.0):
    """Tilt angle (deg, + = anterior = top of pelvis forward) about the ML(left) axis, relative to neutral u0.

    u0 : gravity (up) direction in sensor coords during quiet standing (mean over >= 2 s still).
    ml : LEFT unit vector (from a walking bout, = V x AP).
    acc-only   : theta_acc = atan2(-(f x ... ) ) computed from the low-passed specific force f.
    with gyro  : complementary filter theta = a*(theta + w_ml*dt) + (1-a)*theta_acc, a = tau/(tau+dt).
    A positive rotation about LEFT moves the pelvis top forward; the measured 'up' vector then rotates
    BACKWARD in sensor coordinates, hence the minus sign.
    """
    acc = to_g(acc)
    ml = ml / np.linalg.norm(ml)
    v0 = u0 - np.dot(u0, ml) * ml; v0 /= np.linalg.norm(v0)
    fwd0 = np.cross(ml, v0)                               # forward in the neutral posture (left x up)
    f = _ema_fast(acc, 1.0 / (2 * math.pi * fc_acc), fs)  # 1st-order LP ~fc_acc Hz
    th_acc = np.degrees(np.arctan2(-(f @ fwd0), f @ v0))
    if gyr is None:
        return th_acc
    w = np.asarray(gyr, float) @ ml                       # deg/s about LEFT (+ = anterior tilting)
    dt = 1.0 / fs; a = tau_cf / (tau_cf + dt)
    th = np.empty(len(acc)); s = th_acc[0]
    for i in range(len(acc)):
        s = a * (s + w[i] * dt) + (1 - a) * th_acc[i]
        th[i] = s
    return th


def per_stride(theta, ic_s, side, fs):
    """Per-stride mean and range of motion of an angle; strides = IC to next same-side IC."""
    out = []
    ic_s = np.asarray(ic_s); side = np.asarray(side)
    for k in range(len(ic_s) - 2):
        if side[k] == side[k + 2] and ic_s[k + 2] - ic_s[k] < 2 * STEP_MAX:
            seg = theta[int(round(ic_s[k] * fs)):int(round(ic_s[k + 2] * fs)) + 1]
            out.append(dict(start_s=ic_s[k], side=side[k], mean=float(seg.mean()), rom=float(np.ptp(seg))))
    return out

