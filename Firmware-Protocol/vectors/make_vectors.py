#!/usr/bin/env python3
"""Generate the gaitpop protocol v1 test vectors (vectors/*.bin and vectors/expected.txt).

Why a separate Python script: the vectors must not come from the C code under test (gp_proto.c) nor from the Swift
code, so a bug shared by the encoder and decoder of one implementation cannot hide itself. This file re-implements
what it needs from PROTOCOL.md alone, in a deliberately different style:
  * CRC-32/ISO-HDLC is zlib.crc32 (stdlib);
  * COBS is written here by splitting on zero bytes (the C code walks byte by byte);
  * the receiver counting rules (PROTOCOL.md 1.2) are modelled here too, and every vector's counters and frames are
    ALSO written down by hand below (`expect=`). The script refuses to write anything if the model and the hand
    expectation disagree, so the manifest is checked twice before any C or Swift code sees it.

Deterministic: no clock, no `random`, no dict-order dependence; a tiny xorshift PRNG with fixed seeds makes the
"random" bytes. Re-running reproduces every file byte for byte.

Usage: python3 make_vectors.py [OUTPUT_DIR]      (default: the directory of this script)
"""

import os
import struct
import sys
import zlib

VERSION = 1
MAX_PAYLOAD = 2048
MAX_RAW = MAX_PAYLOAD + 10          # 2058
MAX_ENCODED = 2067                   # COBS of MAX_RAW, worst case
KNOWN_TYPES = set(range(0x01, 0x08)) | set(range(0x81, 0x86))

COUNTERS = ["frames", "crc_errors", "malformed", "oversize", "bad_version", "unknown_type",
            "seq_gaps", "lost_frames", "seq_restarts", "truncated", "discarded_bytes"]

T_DEVICE_INFO, T_IMU, T_AUDIO, T_MARKER, T_STATUS, T_PONG, T_ACK = 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07
T_GET_INFO, T_START, T_STOP, T_CONFIGURE, T_PING = 0x81, 0x82, 0x83, 0x84, 0x85


# --------------------------------------------------------------------------------------------------------------------
# Primitives
# --------------------------------------------------------------------------------------------------------------------

def crc32(data):
    return zlib.crc32(bytes(data)) & 0xFFFFFFFF


def cobs_encode(data, trailing_code_after_ff=False):
    """COBS as PROTOCOL.md 1 pins it: split the data at its zero bytes; each piece becomes blocks of at most 254 data
    bytes. A block with code 0xFF carries 254 bytes and implies NO zero after it; a shorter block with code n+1
    carries n bytes and implies the zero that separated the pieces. The very last piece implies no zero, and when it
    ends exactly after a 0xFF block no further code byte is written (canonical, shortest form).
    trailing_code_after_ff=True writes the older, longer form (an extra 0x01 after a final 0xFF block) which a
    receiver must also accept; used only by the `noncanonical` vector."""
    data = bytes(data)
    pieces = data.split(b"\x00")
    out = bytearray()
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        had_ff = False
        while len(piece) >= 254:
            out.append(0xFF)
            out += piece[:254]
            piece = piece[254:]
            had_ff = True
        if last and had_ff and not piece and not trailing_code_after_ff:
            break
        out.append(len(piece) + 1)
        out += piece
    assert 0 not in out
    return bytes(out)


def cobs_decode(enc):
    """Returns the decoded bytes or None when a code byte points past the end (the only COBS failure a collection
    between delimiters can have). A zero is appended after every block whose code is < 0xFF unless it is the last
    block."""
    out = bytearray()
    i = 0
    n = len(enc)
    while i < n:
        code = enc[i]
        if code == 0:
            return None
        if i + code > n:
            return None
        out += enc[i + 1:i + code]
        i += code
        if code < 0xFF and i < n:
            out.append(0)
    return bytes(out)


def raw_frame(ftype, seq, payload, version=VERSION, length=None):
    payload = bytes(payload)
    if length is None:
        length = len(payload)
    body = struct.pack("<BBHH", version, ftype, seq & 0xFFFF, length) + payload
    return body + struct.pack("<I", crc32(body))


def wire(raw, **kw):
    """One frame on the wire: COBS + the 0x00 delimiter."""
    return cobs_encode(raw, **kw) + b"\x00"


class XorShift32:
    """Fixed, portable PRNG (Marsaglia 2003) so 'random' bytes are identical on every machine and Python version."""

    def __init__(self, seed):
        self.s = seed & 0xFFFFFFFF or 1

    def next(self):
        s = self.s
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        self.s = s
        return s

    def nonzero_bytes(self, n):
        return bytes((self.next() % 255) + 1 for _ in range(n))

    def i16(self, lo, hi):
        return lo + self.next() % (hi - lo + 1)


# --------------------------------------------------------------------------------------------------------------------
# Payload packers. Each returns (payload bytes, [(field name, value string), ...]); names are <short type>.<spec name>
# --------------------------------------------------------------------------------------------------------------------

def _fields(prefix, pairs):
    return [("%s.%s" % (prefix, k), str(v)) for k, v in pairs]


def device_info(protocol_version=1, fw_major=1, fw_minor=4, fw_patch=2, hw_revision=2,
                device_uid=0xF0E1D2C3B4A59687, imu_rate_hz=100, acc_range_g=8, gyro_range_dps=1000,
                audio_rate_hz=16000, audio_bits=16, axis_convention=0, flags=1,
                serial_number="GP-000123", model="gaitpop hip sensor rev B", imu_model="LSM6DSOX",
                mic_model="Knowles contact mic"):
    p = struct.pack("<BBBBHQHHHIBBBB", protocol_version, fw_major, fw_minor, fw_patch, hw_revision, device_uid,
                    imu_rate_hz, acc_range_g, gyro_range_dps, audio_rate_hz, audio_bits, axis_convention, flags, 0)
    assert len(p) == 28
    for s in (serial_number, model, imu_model, mic_model):
        b = s.encode("utf-8")
        assert len(b) <= 255
        p += bytes([len(b)]) + b
    f = _fields("info", [("protocol_version", protocol_version), ("fw_major", fw_major), ("fw_minor", fw_minor),
                         ("fw_patch", fw_patch), ("hw_revision", hw_revision), ("device_uid", device_uid),
                         ("imu_rate_hz", imu_rate_hz), ("acc_range_g", acc_range_g),
                         ("gyro_range_dps", gyro_range_dps), ("audio_rate_hz", audio_rate_hz),
                         ("audio_bits", audio_bits), ("axis_convention", axis_convention), ("flags", flags),
                         ("serial_number", serial_number), ("model", model), ("imu_model", imu_model),
                         ("mic_model", mic_model)])
    return p, f


def imu_block(t_first_us, first_index, samples):
    """samples: list of tuples, 3 or 6 channels each."""
    channels = len(samples[0])
    assert channels in (3, 6) and all(len(s) == channels for s in samples)
    p = struct.pack("<QIHBB", t_first_us, first_index, len(samples), channels, 0)
    for s in samples:
        p += struct.pack("<%dh" % channels, *s)
    assert len(p) <= MAX_PAYLOAD
    f = _fields("imu", [("t_first_us", t_first_us), ("first_index", first_index), ("count", len(samples)),
                        ("channels", channels)])
    f += [("imu.sample[%d]" % i, ",".join(str(v) for v in s)) for i, s in enumerate(samples)]
    return p, f


def audio_block(t_first_us, first_index, samples, fmt=1):
    p = struct.pack("<QIHBB", t_first_us, first_index, len(samples), fmt, 0) + struct.pack("<%dh" % len(samples),
                                                                                           *samples)
    assert len(p) <= MAX_PAYLOAD
    f = _fields("audio", [("t_first_us", t_first_us), ("first_index", first_index), ("count", len(samples)),
                          ("format", fmt)])
    f += [("audio.sample[%d]" % i, str(v)) for i, v in enumerate(samples)]
    return p, f


def marker(t_us, kind, marker_id):
    return struct.pack("<QBBH", t_us, kind, 0, marker_id), _fields(
        "marker", [("t_us", t_us), ("kind", kind), ("marker_id", marker_id)])


def status(t_us, battery_mv, battery_percent, flags, imu_dropped_total, audio_dropped_total,
           tx_frames_dropped_total, temperature_cdeg):
    p = struct.pack("<QHBBIIIh", t_us, battery_mv, battery_percent, flags, imu_dropped_total, audio_dropped_total,
                    tx_frames_dropped_total, temperature_cdeg)
    assert len(p) == 26
    return p, _fields("status", [("t_us", t_us), ("battery_mv", battery_mv), ("battery_percent", battery_percent),
                                 ("flags", flags), ("imu_dropped_total", imu_dropped_total),
                                 ("audio_dropped_total", audio_dropped_total),
                                 ("tx_frames_dropped_total", tx_frames_dropped_total),
                                 ("temperature_cdeg", temperature_cdeg)])


def pong(token, host_time_us, device_rx_us, device_tx_us):
    return struct.pack("<IQQQ", token, host_time_us, device_rx_us, device_tx_us), _fields(
        "pong", [("token", token), ("host_time_us", host_time_us), ("device_rx_us", device_rx_us),
                 ("device_tx_us", device_tx_us)])


def ack(command_type, result, command_seq):
    return struct.pack("<BBH", command_type, result, command_seq), _fields(
        "ack", [("command_type", command_type), ("result", result), ("command_seq", command_seq)])


def configure(imu_rate_hz, acc_range_g, gyro_range_dps, audio_rate_hz):
    return struct.pack("<HHHI", imu_rate_hz, acc_range_g, gyro_range_dps, audio_rate_hz), _fields(
        "configure", [("imu_rate_hz", imu_rate_hz), ("acc_range_g", acc_range_g),
                      ("gyro_range_dps", gyro_range_dps), ("audio_rate_hz", audio_rate_hz)])


def ping(token, host_time_us):
    return struct.pack("<IQ", token, host_time_us), _fields("ping", [("token", token), ("host_time_us", host_time_us)])


def tri_wave(n, period, amp, rng, noise):
    """Integer-only test signal (triangle + noise): no floating point, so identical everywhere."""
    out = []
    for i in range(n):
        ph = i % period
        v = (4 * amp * ph) // period - amp if ph < period // 2 else 3 * amp - (4 * amp * ph) // period
        v += rng.i16(-noise, noise)
        out.append(max(-32768, min(32767, v)))
    return out


def walking_imu(n, channels, rng, start=0):
    """Plausible hip IMU at rest-ish walking: ~1 g on one axis (8 g range: 4096 LSB/g), small gyro."""
    out = []
    for i in range(n):
        k = start + i
        sway = ((k * 37) % 200) - 100
        s = (sway * 3 + rng.i16(-20, 20), -4096 + sway * 5 + rng.i16(-20, 20), 120 + rng.i16(-20, 20))
        if channels == 6:
            s += (sway * 4 + rng.i16(-8, 8), -sway * 2 + rng.i16(-8, 8), rng.i16(-30, 30))
        out.append(s)
    return out


# --------------------------------------------------------------------------------------------------------------------
# Receiver model (PROTOCOL.md 1.2), used to double-check the hand-written expectations
# --------------------------------------------------------------------------------------------------------------------

def receiver_model(stream):
    c = dict.fromkeys(COUNTERS, 0)
    frames = []
    state = {"expected": None}

    def process(coll):
        n = len(coll)
        if n == 0:
            return
        if n > MAX_ENCODED:
            c["oversize"] += 1
            c["discarded_bytes"] += n
            return
        raw = cobs_decode(coll)
        if raw is None or len(raw) < 10:
            c["malformed"] += 1
            c["discarded_bytes"] += n
            return
        version, ftype, seq, length = struct.unpack_from("<BBHH", raw, 0)
        if length != len(raw) - 10 or length > MAX_PAYLOAD:
            c["malformed"] += 1
            c["discarded_bytes"] += n
            return
        if crc32(raw[:-4]) != struct.unpack_from("<I", raw, len(raw) - 4)[0]:
            c["crc_errors"] += 1
            c["discarded_bytes"] += n
            return
        if version != VERSION:
            c["bad_version"] += 1
            c["discarded_bytes"] += n
            return
        c["frames"] += 1
        if ftype not in KNOWN_TYPES:
            c["unknown_type"] += 1
        if state["expected"] is not None:
            d = (seq - state["expected"]) % 65536
            if 0 < d < 32768:
                c["seq_gaps"] += 1
                c["lost_frames"] += d
            elif d >= 32768:
                c["seq_restarts"] += 1
        state["expected"] = (seq + 1) % 65536
        frames.append((ftype, seq, raw[6:-4]))

    coll = bytearray()
    for b in stream:
        if b == 0:
            process(coll)
            coll = bytearray()
        else:
            coll.append(b)
    if coll:  # end of input
        if len(coll) > MAX_ENCODED:
            c["oversize"] += 1      # already counted when the run overflowed; never also "truncated"
        else:
            c["truncated"] += 1
        c["discarded_bytes"] += len(coll)
    return frames, c


# --------------------------------------------------------------------------------------------------------------------
# Vector definitions
# --------------------------------------------------------------------------------------------------------------------

class Vec:
    def __init__(self, name, note, expect, noncanonical=False, fields=False):
        self.name = name
        self.with_fields = fields  # field lines only for the one-frame-per-type vectors (keeps the manifest small)
        self.note = note
        self.data = bytearray()
        self.frames = []          # (type, seq, payload, fields)
        self.expect = expect      # hand-written nonzero counters
        self.noncanonical = noncanonical

    def good(self, ftype, seq, payload_fields, **kw):
        """Append a good frame and list it (with its field lines) in the manifest."""
        payload, fields = payload_fields if isinstance(payload_fields, tuple) else (payload_fields, [])
        self.data += wire(raw_frame(ftype, seq, payload), **kw)
        self.frames.append((ftype, seq, bytes(payload), fields))
        return self

    def raw(self, b):
        """Append bytes that must NOT produce a good frame."""
        self.data += bytes(b)
        return self


VECTORS = []


def vec(name, note, expect, **kw):
    v = Vec(name, note, expect, **kw)
    VECTORS.append(v)
    return v


def build():
    rng = XorShift32(0x6A17B0B5)

    # ---- one frame of every type ------------------------------------------------------------------------------------
    vec("device_info.bin", "DEVICE_INFO with realistic strings; device_uid above 2^63", {"frames": 1}, fields=True) \
        .good(T_DEVICE_INFO, 1, device_info())
    vec("imu_block_3ch.bin", "IMU_BLOCK, accelerometer only, 4 samples", {"frames": 1}, fields=True) \
        .good(T_IMU, 2, imu_block(123456, 1000, [(1000, -2000, 16384), (1010, -1990, 16380), (-32768, 32767, 0),
                                                 (-1, 1, -4096)]))
    vec("imu_block_6ch.bin", "IMU_BLOCK, accelerometer + gyroscope, 10 samples (100 Hz, 100 ms)", {"frames": 1}, fields=True) \
        .good(T_IMU, 3, imu_block(2500000, 250, walking_imu(10, 6, rng)))
    vec("audio_block.bin", "AUDIO_BLOCK, 160 samples = 10 ms at 16 kHz", {"frames": 1}, fields=True) \
        .good(T_AUDIO, 4, audio_block(2500125, 40002, tri_wave(160, 40, 12000, rng, 300)))
    vec("marker.bin", "MARKER, the worked example of PROTOCOL.md section 7", {"frames": 1}, fields=True) \
        .good(T_MARKER, 42, marker(123456789, 1, 7))
    vec("status.bin", "STATUS while streaming and charging", {"frames": 1}, fields=True) \
        .good(T_STATUS, 5, status(3000000, 3987, 76, 0b0011, 12, 0, 3, 3150))
    vec("pong.bin", "PONG echoing token and host time", {"frames": 1}, fields=True) \
        .good(T_PONG, 6, pong(0xA5A50001, 1732540000123456, 5234567, 5234612))
    vec("ack.bin", "ACK of a START (0x82) whose seq was 17", {"frames": 1}, fields=True) \
        .good(T_ACK, 7, ack(T_START, 0, 17))
    vec("get_info.bin", "GET_INFO, empty payload", {"frames": 1}, fields=True).good(T_GET_INFO, 0, b"")
    vec("start.bin", "START, empty payload", {"frames": 1}, fields=True).good(T_START, 1, b"")
    vec("stop.bin", "STOP, empty payload", {"frames": 1}, fields=True).good(T_STOP, 2, b"")
    vec("configure.bin", "CONFIGURE: IMU 200 Hz, 16 g, gyroscope disabled (0xFFFF), audio rate kept (0)",
        {"frames": 1}, fields=True).good(T_CONFIGURE, 3, configure(200, 16, 0xFFFF, 0))
    vec("ping.bin", "PING with token and host time", {"frames": 1}, fields=True).good(T_PING, 4, ping(0xA5A50001,
                                                                                       1732540000123456))

    # ---- a realistic mixed stream, seq wrapping 65535 -> 0 in order ---------------------------------------------------
    v = vec("mixed_stream.bin", "device session: leading 0x00, ACK, DEVICE_INFO, 1 s of IMU (100 Hz, 6 ch, 10/block) "
            "and audio (8 kHz, 20 ms blocks), STATUS, MARKER, PONG; seq starts at 65520 and wraps to 0 in order",
            {"frames": 68})
    v.raw(b"\x00")
    seq = 65520
    t0 = 10_000_000

    def nxt():
        nonlocal seq
        s = seq
        seq = (seq + 1) & 0xFFFF
        return s

    v.good(T_ACK, nxt(), ack(T_START, 0, 9))
    v.good(T_DEVICE_INFO, nxt(), device_info(imu_rate_hz=100, audio_rate_hz=8000))
    imu_index, audio_index = 0, 0
    for k in range(50):                                   # 20 ms steps over 1 s
        t = t0 + k * 20000
        v.good(T_AUDIO, nxt(), audio_block(t, audio_index, tri_wave(160, 32, 9000, rng, 200)))
        audio_index += 160
        if k % 5 == 4:                                     # every 100 ms: 10 IMU samples
            v.good(T_IMU, nxt(), imu_block(t - 80000, imu_index, walking_imu(10, 6, rng, imu_index)))
            imu_index += 10
        if k == 23:
            v.good(T_MARKER, nxt(), marker(t + 1234, 1, 0))
        if k == 31:
            v.good(T_PONG, nxt(), pong(77, 1732540001000000, t + 17, t + 95))
    v.good(T_STATUS, nxt(), status(t0 + 1000000, 3950, 74, 0b0010, 0, 0, 0, -125))
    v.good(T_MARKER, nxt(), marker(t0 + 1000500, 2, 1))
    v.good(T_IMU, nxt(), imu_block(t0 + 920000, imu_index, walking_imu(10, 6, rng, imu_index)))
    v.good(T_STATUS, nxt(), status(t0 + 1001000, 3950, 255, 0b1110, 4, 160, 1, -32768))

    # ---- garbage ------------------------------------------------------------------------------------------------------
    v = vec("garbage.bin", "leading garbage, garbage between frames (with and without its own delimiter), and garbage "
            "glued to the front of a frame, which loses that frame", {
                "frames": 4, "malformed": 5, "seq_gaps": 1, "lost_frames": 1})
    v.raw(b"AT+GMR\r\n\x00")                              # 'A' = code 65, points past the end -> malformed (8 bytes)
    v.good(T_MARKER, 100, marker(50_000_000, 2, 10))
    v.raw(b"\x01\x01\x01\x00")                            # decodes to 2 zero bytes: too short -> malformed (3)
    v.good(T_MARKER, 101, marker(50_100_000, 2, 11))
    v.raw(b"\xff" * 20 + b"\x00")                         # 0xFF wants 254 bytes -> malformed (20)
    v.raw(b"\x02\x07\x00")                                # decodes to 1 byte -> malformed (2)
    lost = wire(raw_frame(T_MARKER, 102, marker(50_200_000, 2, 12)[0]))
    v.raw(b"\x03ab" + lost)                               # glued: shifts the header -> malformed
    v.expect["discarded_bytes"] = 8 + 3 + 20 + 2 + 3 + len(lost) - 1
    v.good(T_MARKER, 103, marker(50_300_000, 2, 13))
    v.good(T_MARKER, 104, marker(50_400_000, 2, 14))

    # ---- CRC error -------------------------------------------------------------------------------------------------
    v = vec("crc_error.bin", "one bit flipped in the payload of the middle frame (seq 12) of five; its COBS stays "
            "valid, so only the CRC catches it; seq 11 -> 13 is then a gap of 1", None)
    for s in (10, 11):
        v.good(T_MARKER, s, marker(60_000_000 + s, 3, s))
    bad = bytearray(raw_frame(T_MARKER, 12, marker(60_000_012, 3, 12)[0]))
    bad[6 + 2] ^= 0x10                                    # bit 4 of t_us byte 2
    bad_wire = wire(bad)
    v.raw(bad_wire)
    v.expect = {"frames": 4, "crc_errors": 1, "seq_gaps": 1, "lost_frames": 1, "discarded_bytes": len(bad_wire) - 1}
    for s in (13, 14):
        v.good(T_MARKER, s, marker(60_000_000 + s, 3, s))

    # ---- sequence gaps and restarts ------------------------------------------------------------------------------------
    v = vec("seq_gap.bin", "gaps: 65532..65534 missing (3), in order across the wrap, 1..2 missing (2), then the "
            "largest gap that is still a gap (d = 32767)", {"frames": 6, "seq_gaps": 3, "lost_frames": 3 + 2 + 32767})
    for s in (65530, 65531, 65535, 0, 3, 4 + 32767):
        v.good(T_STATUS if s == 0 else T_MARKER, s,
               status(70_000_000, 3900, 70, 2, 0, 0, 0, 2900) if s == 0 else marker(70_000_000 + s, 2, s & 0xFF))
    v = vec("seq_restart.bin", "restart 502 -> 0, a repeated seq (2, 2), and d = 32768 (the smallest 'restart'); "
            "none counts lost frames", {"frames": 9, "seq_restarts": 3})
    for s in (500, 501, 502, 0, 1, 2, 2, 3, 4 + 32768):
        v.good(T_MARKER, s, marker(80_000_000 + s, 2, s & 0xFF))

    # ---- bad version, unknown types ----------------------------------------------------------------------------------
    v = vec("bad_version.bin", "a frame with version 2 and a valid CRC between good frames; it is not good, so seq "
            "7 -> 9 is a gap of 1", None)
    v.good(T_MARKER, 7, marker(90_000_000, 2, 1))
    bv = wire(raw_frame(T_MARKER, 8, marker(90_000_001, 2, 2)[0], version=2))
    v.raw(bv)
    v.good(T_MARKER, 9, marker(90_000_002, 2, 3))
    v.expect = {"frames": 2, "bad_version": 1, "seq_gaps": 1, "lost_frames": 1, "discarded_bytes": len(bv) - 1}

    v = vec("unknown_type.bin", "types 0x42, 0x00 (reserved) and 0x86 with valid CRCs: good frames (listed, "
            "seq-checked) but unknown", {"frames": 5, "unknown_type": 3})
    v.good(T_MARKER, 30, marker(95_000_000, 2, 1))
    v.good(0x42, 31, b"future payload \x00\x01\x02")
    v.good(0x00, 32, b"")
    v.good(0x86, 33, b"\x01\x02\x03\x04")
    v.good(T_STATUS, 34, status(95_000_100, 4100, 100, 1, 0, 0, 0, 2500))

    # ---- malformed ---------------------------------------------------------------------------------------------------
    v = vec("malformed_cobs.bin", "a frame whose last COBS block was cut (code byte points past the end), and a "
            "collection that decodes to fewer than 10 bytes", None)
    v.good(T_MARKER, 1, marker(100_000_000, 2, 1))
    enc = cobs_encode(raw_frame(T_MARKER, 2, marker(100_000_001, 2, 2)[0]))
    cut = enc[:-2]
    assert cobs_decode(cut) is None
    v.raw(cut + b"\x00")
    short = cobs_encode(b"\x01\x04\x03\x00\x00")
    v.raw(short + b"\x00")
    v.good(T_MARKER, 3, marker(100_000_002, 2, 3))
    v.expect = {"frames": 2, "malformed": 2, "seq_gaps": 1, "lost_frames": 1,
                "discarded_bytes": len(cut) + len(short)}

    v = vec("length_mismatch.bin", "valid COBS and valid CRC but the length field disagrees with the frame size "
            "(+1, -1), and length 2049 > 2048 with a matching size: all malformed", None)
    v.good(T_MARKER, 1, marker(110_000_000, 2, 1))
    disc = 0
    for delta in (+1, -1):
        p = marker(110_000_001, 2, 2)[0]
        w = wire(raw_frame(T_MARKER, 2, p, length=len(p) + delta))
        v.raw(w)
        disc += len(w) - 1
    big = bytes((i % 200) + (0 if i % 100 == 0 else 1) for i in range(2049))   # zeros keep COBS short
    w = wire(raw_frame(0x42, 2, big))
    assert len(w) - 1 <= MAX_ENCODED
    v.raw(w)
    disc += len(w) - 1
    v.good(T_MARKER, 3, marker(110_000_002, 2, 3))
    v.expect = {"frames": 2, "malformed": 3, "seq_gaps": 1, "lost_frames": 1, "discarded_bytes": disc}

    # ---- oversize, truncated, empty ----------------------------------------------------------------------------------
    v = vec("oversize.bin", "runs without delimiter: 2100 bytes and exactly 2068 bytes (oversize), and exactly 2067 "
            "bytes of 0x01 (fits, decodes to 2066 zeros: malformed)",
            {"frames": 2, "oversize": 2, "malformed": 1, "discarded_bytes": 2100 + 2068 + 2067})
    v.good(T_MARKER, 0, marker(120_000_000, 2, 1))
    v.raw(rng.nonzero_bytes(2100) + b"\x00")
    v.raw(rng.nonzero_bytes(2068) + b"\x00")
    v.raw(b"\x01" * 2067 + b"\x00")
    v.good(T_MARKER, 1, marker(120_000_001, 2, 2))

    v = vec("oversize_at_end.bin", "input ends inside a 2500-byte run without delimiter: counted as oversize once, "
            "not also as truncated", {"frames": 1, "oversize": 1, "discarded_bytes": 2500})
    v.good(T_MARKER, 0, marker(125_000_000, 2, 1))
    v.raw(rng.nonzero_bytes(2500))

    v = vec("truncated.bin", "input ends in the middle of a frame", None)
    v.good(T_IMU, 40, imu_block(130_000_000, 4000, walking_imu(10, 3, rng)))
    v.good(T_IMU, 41, imu_block(130_100_000, 4010, walking_imu(10, 3, rng)))
    half = cobs_encode(raw_frame(T_IMU, 42, imu_block(130_200_000, 4020, walking_imu(10, 3, rng))[0]))
    half = half[:len(half) // 2]
    v.raw(half)
    v.expect = {"frames": 2, "truncated": 1, "discarded_bytes": len(half)}

    v = vec("empty_frames.bin", "runs of 0x00 (empty frames, idle filler) before, between and after frames",
            {"frames": 2})
    v.raw(b"\x00\x00\x00")
    v.good(T_MARKER, 5, marker(140_000_000, 2, 1))
    v.raw(b"\x00\x00")
    v.good(T_MARKER, 6, marker(140_000_001, 2, 2))
    v.raw(b"\x00\x00\x00")

    # ---- size limits ---------------------------------------------------------------------------------------------------
    vec("max_payload.bin", "AUDIO_BLOCK with count 1016: payload exactly 2048 bytes", {"frames": 1}, fields=True) \
        .good(T_AUDIO, 500, audio_block(150_000_000, 2_000_000, tri_wave(1016, 50, 30000, rng, 1000)))

    # An encoded frame of exactly GP_MAX_ENCODED = 2067 bytes: only the length's low byte (0x00 of 0x0800) is zero,
    # every other raw byte (payload, seq, CRC) is non-zero. Type 0x42 so the payload may be arbitrary.
    v = vec("max_encoded.bin", "a frame whose COBS encoding is exactly 2067 bytes (the limit, accepted); type 0x42",
            {"frames": 1, "unknown_type": 1})
    r2 = XorShift32(0x2067)
    while True:
        p = r2.nonzero_bytes(MAX_PAYLOAD)
        rf = raw_frame(0x42, 0x1111, p)
        if 0 not in rf[-4:]:
            break
    assert len(cobs_encode(rf)) == MAX_ENCODED
    v.good(0x42, 0x1111, p)

    # ---- COBS edge cases ------------------------------------------------------------------------------------------------
    v = vec("cobs_edges.bin", "AUDIO_BLOCKs whose raw frames hold runs of 0x00 and 0xFF, non-zero runs of exactly "
            "253, 254 and 255 bytes, frames ending with a non-zero run of 253, 254 (final 0xFF block, no code byte "
            "after it) and 255 bytes, and a frame whose last CRC byte is 0x00", {"frames": 6})
    r3 = XorShift32(0xC0B5)

    def audio_raw_bytes(seq, body, t=160_000_000):
        """AUDIO_BLOCK payload whose sample bytes are exactly `body` (even length)."""
        assert len(body) % 2 == 0
        samples = list(struct.unpack("<%dh" % (len(body) // 2), body))
        return audio_block(t + seq, seq * 1000, samples)

    body = (b"\x00" * 24 + b"\xff" * 40 + b"\x00" + r3.nonzero_bytes(253) + b"\x00" + r3.nonzero_bytes(254)
            + b"\x00" + r3.nonzero_bytes(255) + b"\x00" + b"\xff\xff\x00\xff\x00\x00\xff\x00" + b"\xff" * 300
            + b"\x00\x00")
    body += b"\x00" * (len(body) % 2)
    v.good(T_AUDIO, 0, audio_raw_bytes(0, body))

    def ending_run(seq, run):
        """Frame whose raw bytes end with exactly `run` non-zero bytes (payload tail + 4 CRC bytes)."""
        tail = run - 4                      # non-zero payload bytes at the end of the payload
        for tweak in range(1, 256):
            pre = b"\x10\x00" * 8 + b"\x00"  # ... ends with a zero byte right before the run
            b = pre + bytes([tweak]) + r3.nonzero_bytes(tail - 1)
            if len(b) % 2:
                b = b"\x00" + b
            pl, f = audio_raw_bytes(seq, b)
            rf = raw_frame(T_AUDIO, seq, pl)
            if 0 not in rf[-4:]:
                assert rf[-run - 1] == 0 and 0 not in rf[-run:]
                return pl, f
        raise AssertionError("no tweak found")

    ends_254 = None
    for s, run in ((1, 253), (2, 254), (3, 255)):
        pf = ending_run(s, run)
        v.good(T_AUDIO, s, pf)
        if run == 254:
            ends_254 = pf
    assert wire(raw_frame(T_AUDIO, 2, ends_254[0]))[-256] == 0xFF

    for tweak in range(0, 65536):                          # CRC whose last (most significant) byte is 0x00
        pl, f = audio_block(170_000_000, tweak, [100, -100, 200, -200])
        if raw_frame(T_AUDIO, 4, pl)[-1] == 0:
            break
    assert cobs_encode(raw_frame(T_AUDIO, 4, pl))[-1] == 0x01
    v.good(T_AUDIO, 4, (pl, f))
    v.good(T_AUDIO, 5, audio_block(180_000_000, 0xFFFFFFFF, [-1] * 127))   # 254 bytes of 0xFF in the samples

    # The older COBS form: an extra 0x01 code byte after a final 0xFF block. Decodes to the same frame.
    v = vec("cobs_trailing_code.bin", "the frame of cobs_edges.bin seq 2 (ends with a 254-byte non-zero run) "
            "encoded with the redundant trailing 0x01 code byte; receivers accept it; a canonical encoder does not "
            "produce these bytes", {"frames": 1}, noncanonical=True)
    v.good(T_AUDIO, 2, ends_254, trailing_code_after_ff=True)
    assert v.data[-2] == 0x01 and v.data[-257] == 0xFF


# --------------------------------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------------------------------

MANIFEST_HEADER = """\
# gaitpop wire protocol v1 test vectors: manifest (format "gaitpop-vectors 1")
# Generated by make_vectors.py; do not edit by hand. Described in README.md beside this file.
#
# Line-based, UTF-8, LF line ends. Lines starting with '#' and empty lines are comments.
# Each vector is one block:
#   vector <file>                      starts a block; <file> is relative to this directory
#   note <text>                        optional, free text for humans
#   noncanonical                       optional: the file's bytes are not what a canonical encoder writes,
#                                      so skip "re-encoding reproduces the bytes" checks for this vector
#   frame <type> <seq> <payload>       one line per good frame, in stream order (unknown types included);
#                                      <type> 2 lowercase hex digits, <seq> decimal, <payload> lowercase hex
#                                      (2 digits per byte) or '-' when empty
#   field <name>=<value>               zero or more, after a frame line: decoded payload fields of that frame;
#                                      <name> is <short type>.<spec field name>; <value> is the rest of the line
#                                      (decimal integers, '-' for negative; sample[i] lists the channel values
#                                      of sample i separated by ','; strings verbatim UTF-8, may contain spaces)
#   counters frames=N crc_errors=N malformed=N oversize=N bad_version=N unknown_type=N seq_gaps=N
#            lost_frames=N seq_restarts=N truncated=N discarded_bytes=N
#                                      (one line) the PROTOCOL.md 1.2 counters after feeding the whole file to a
#                                      fresh receiver and then signalling end of input; always all 11, this order
#   end                                closes the block
# Tokens are separated by single spaces.
"""


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out_dir, exist_ok=True)
    build()
    lines = [MANIFEST_HEADER]
    names = set()
    for v in VECTORS:
        assert v.name not in names
        names.add(v.name)
        frames, counters = receiver_model(v.data)
        want = dict.fromkeys(COUNTERS, 0)
        want.update(v.expect)
        if counters != want:
            sys.exit("%s: model counters %s != hand expectation %s" % (v.name, counters, want))
        if frames != [(t, s, p) for t, s, p, _ in v.frames]:
            sys.exit("%s: model frames differ from the listed frames" % v.name)
        with open(os.path.join(out_dir, v.name), "wb") as f:
            f.write(bytes(v.data))
        lines.append("vector %s" % v.name)
        lines.append("note %s" % v.note)
        if v.noncanonical:
            lines.append("noncanonical")
        for t, s, p, fields in v.frames:
            lines.append("frame %02x %d %s" % (t, s, p.hex() if p else "-"))
            for name, value in (fields if v.with_fields else []):
                assert "\n" not in value and "\r" not in value
                lines.append("field %s=%s" % (name, value))
        lines.append("counters " + " ".join("%s=%d" % (k, counters[k]) for k in COUNTERS))
        lines.append("end")
        lines.append("")
    with open(os.path.join(out_dir, "expected.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))
    print("wrote %d vectors to %s" % (len(VECTORS), out_dir))


if __name__ == "__main__":
    main()
