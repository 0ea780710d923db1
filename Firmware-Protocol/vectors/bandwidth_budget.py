#!/usr/bin/env python3
"""Computes the bandwidth budget table of PROTOCOL.md section 4 (prints Markdown). Stdlib only, deterministic.

Wire bytes of one frame, worst case: raw = 10 + payload (header 6 + CRC 4); COBS adds at most 1 + floor(raw/254)
code bytes (GP_COBS_BOUND in gp_proto.h); plus the 0x00 delimiter. Real frames with zero bytes in them cost the
same or 1 byte less per 254, so the table is an upper bound.

Lives in vectors/ only because that folder is excluded from the SwiftPM target that compiles gp_proto.c.
"""

UART_BPS = 921600 // 10          # 8N1: 10 bit times per byte -> 92,160 B/s
USB_BPS = 1_000_000              # USB full-speed CDC-ACM, practical


def wire(payload):
    raw = 10 + payload
    return raw + 1 + raw // 254 + 1


def row(name, block, frames_per_s, payload):
    w = wire(payload)
    return (name, block, frames_per_s, payload, w, frames_per_s * w)


def imu(rate, ch, per_s=10):
    n = rate // per_s
    return row("IMU %d Hz, %d ch" % (rate, ch), "%d samples (%d ms)" % (n, 1000 // per_s), per_s, 16 + n * ch * 2)


def audio(rate, ms):
    n = rate * ms // 1000
    return row("audio %d kHz int16" % (rate // 1000), "%d samples (%d ms)" % (n, ms), 1000 // ms, 16 + 2 * n)


STATUS = row("STATUS", "1 per second", 1, 26)
PONG = row("PONG", "1 PING per second", 1, 28)


def pct(x, cap):
    return "%.1f %%" % (100.0 * x / cap) if 100.0 * x / cap >= 0.1 else "< 0.1 %"


def main():
    rows = [audio(8000, 10), audio(8000, 20), audio(16000, 10), audio(16000, 20)]
    for rate in (50, 100, 200, 400):
        for ch in (3, 6):
            rows.append(imu(rate, ch))
    rows += [STATUS, PONG]
    print("| stream | block | frames/s | payload B/frame | wire B/frame | wire B/s | UART 921600 | USB FS |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, block, fps, pl, w, bps in rows:
        print("| %s | %s | %d | %d | %d | %s | %s | %s |" % (name, block, fps, pl, w, format(bps, ","),
                                                            pct(bps, UART_BPS), pct(bps, USB_BPS)))
    print()
    configs = [
        ("IMU only: IMU 100 Hz 6 ch + STATUS + PONG", [imu(100, 6), STATUS, PONG]),
        ("typical: IMU 100 Hz 6 ch + audio 8 kHz (20 ms) + STATUS + PONG",
         [imu(100, 6), audio(8000, 20), STATUS, PONG]),
        ("rich: IMU 200 Hz 6 ch + audio 16 kHz (20 ms) + STATUS + PONG",
         [imu(200, 6), audio(16000, 20), STATUS, PONG]),
        ("maximum: IMU 400 Hz 6 ch + audio 16 kHz (10 ms) + STATUS + PONG",
         [imu(400, 6), audio(16000, 10), STATUS, PONG]),
    ]
    print("| configuration | payload B/s | wire B/s | framing overhead | UART 921600 | USB FS |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, parts in configs:
        bps = sum(r[5] for r in parts)
        pl = sum(r[2] * r[3] for r in parts)
        print("| %s | %s | %s | %.1f %% | %s | %s |" % (name, format(pl, ","), format(bps, ","),
                                                        100.0 * (bps - pl) / pl, pct(bps, UART_BPS),
                                                        pct(bps, USB_BPS)))


if __name__ == "__main__":
    main()
