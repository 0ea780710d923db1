/*
 * gp_proto.h - portable C99 reference codec for the gaitpop sensor wire protocol, version 1.
 *
 * The normative description is ../PROTOCOL.md; this code follows it and is checked against the
 * independent test vectors in vectors/ (make test).
 *
 * Why it is written this way:
 *  - It must run on a small microcontroller as it is: no dynamic allocation, no I/O, no libc beyond <stdint.h>,
 *    <stddef.h> and <string.h>, no assumption about the CPU's byte order or alignment (every multi-byte field is
 *    read and written byte by byte as little-endian).
 *  - The receiver (gp_decoder) uses one fixed buffer of GP_MAX_ENCODED bytes and decodes COBS in place, so RAM use
 *    is about 2.1 KB per link and known at compile time.
 *  - Bytes from the link are untrusted: every decode/unpack path checks lengths before it reads, and reports an
 *    error instead of reading past a buffer.
 *  - The same file is compiled into the host program (SwiftPM target GPProtoReference), so the Swift decoder can be
 *    compared with it byte for byte.
 */
#ifndef GP_PROTO_H
#define GP_PROTO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------------------------------
 * Constants (PROTOCOL.md 1.1)
 * ------------------------------------------------------------------------------------------------------------------ */

#define GP_VERSION 1u             /* the only protocol version this code speaks */
#define GP_HEADER_SIZE 6u         /* version, type, seq, length */
#define GP_CRC_SIZE 4u
#define GP_OVERHEAD 10u           /* header + CRC: the smallest legal raw frame */
#define GP_MAX_PAYLOAD 2048u
#define GP_MAX_RAW 2058u          /* GP_MAX_PAYLOAD + GP_OVERHEAD */
#define GP_MAX_ENCODED 2067u      /* COBS of GP_MAX_RAW, worst case, without the delimiter */
#define GP_MAX_WIRE 2068u         /* ... with the 0x00 delimiter: size an output buffer with this */

/* Upper bound of the COBS encoding of n raw bytes (one code byte per started 254 bytes, plus one). */
#define GP_COBS_BOUND(n) ((n) + 1u + (n) / 254u)
/* Upper bound of the wire size (COBS + delimiter) of a frame with a payload of n bytes. */
#define GP_WIRE_BOUND(n) (GP_COBS_BOUND((n) + GP_OVERHEAD) + 1u)

/* Frame types (PROTOCOL.md 3). 0x01-0x7F device -> host, 0x80-0xFF host -> device. */
enum gp_type {
    GP_T_DEVICE_INFO = 0x01,
    GP_T_IMU_BLOCK = 0x02,
    GP_T_AUDIO_BLOCK = 0x03,
    GP_T_MARKER = 0x04,
    GP_T_STATUS = 0x05,
    GP_T_PONG = 0x06,
    GP_T_ACK = 0x07,
    GP_T_GET_INFO = 0x81,
    GP_T_START = 0x82,
    GP_T_STOP = 0x83,
    GP_T_CONFIGURE = 0x84,
    GP_T_PING = 0x85
};

/* Fixed payload sizes; for DEVICE_INFO, IMU_BLOCK and AUDIO_BLOCK the size of the fixed part. */
#define GP_DEVICE_INFO_MIN 32u    /* 28 fixed bytes + 4 string length bytes */
#define GP_IMU_HEADER 16u
#define GP_AUDIO_HEADER 16u
#define GP_MARKER_SIZE 12u
#define GP_STATUS_SIZE 26u
#define GP_PONG_SIZE 28u
#define GP_ACK_SIZE 4u
#define GP_CONFIGURE_SIZE 10u
#define GP_PING_SIZE 12u

#define GP_IMU_MAX_SAMPLES_3CH 338u   /* (2048 - 16) / 6 */
#define GP_IMU_MAX_SAMPLES_6CH 169u   /* (2048 - 16) / 12 */
#define GP_AUDIO_MAX_SAMPLES 1016u    /* (2048 - 16) / 2 */
#define GP_AUDIO_FORMAT_PCM16 1u

/* Field values */
#define GP_INFO_FLAG_STREAMING 0x01u
#define GP_STATUS_FLAG_CHARGING 0x01u
#define GP_STATUS_FLAG_STREAMING 0x02u
#define GP_STATUS_FLAG_IMU_OVERRUN 0x04u
#define GP_STATUS_FLAG_AUDIO_OVERRUN 0x08u
#define GP_BATTERY_PERCENT_UNKNOWN 255u
#define GP_TEMPERATURE_UNKNOWN (-32768)
#define GP_MARKER_PAIN 1u
#define GP_MARKER_BUTTON 2u
#define GP_MARKER_NOTE 3u
#define GP_ACK_OK 0u
#define GP_ACK_UNSUPPORTED 1u
#define GP_ACK_INVALID 2u
#define GP_ACK_BUSY 3u
#define GP_GYRO_DISABLE 0xFFFFu       /* CONFIGURE.gyro_range_dps */

/* Return codes of the unpack and COBS functions (0 = success). */
#define GP_OK 0
#define GP_ERR_SHORT (-1)    /* payload shorter than its layout (or its count fields) require */
#define GP_ERR_VALUE (-2)    /* a field makes the rest uninterpretable (count 0, channels not 3/6, format not 1) */
#define GP_ERR_ARG (-3)      /* NULL pointer, capacity too small, value out of range for packing */
#define GP_ERR_COBS (-4)     /* a COBS code byte points past the end, or the input holds a 0x00 */

/* 1 if `type` is one a protocol-1 receiver knows (0x01-0x07, 0x81-0x85). Unknown types are good frames that a
 * receiver skips; they are counted as unknown_type, never as errors (room for later additions). */
int gp_type_known(uint8_t type);

/* ------------------------------------------------------------------------------------------------------------------
 * CRC-32/ISO-HDLC (zlib/Ethernet): reflected poly 0xEDB88320, init 0xFFFFFFFF, final XOR 0xFFFFFFFF.
 * Check value: gp_crc32("123456789", 9) == 0xCBF43926.
 * By default a 1 KB table (fast, in flash). Define GP_CRC32_SMALL to use a 64-byte nibble table instead (about half
 * the speed; still far faster than a UART can deliver bytes).
 * ------------------------------------------------------------------------------------------------------------------ */

uint32_t gp_crc32(const uint8_t *data, size_t len);

/* Incremental form, zlib style: start with crc = 0; each call returns the finished CRC of all bytes so far, so
 * gp_crc32_update(gp_crc32_update(0, a, n), b, m) == CRC of a followed by b. Lets the firmware checksum header,
 * payload and anything else without first copying them into one buffer. */
uint32_t gp_crc32_update(uint32_t crc, const uint8_t *data, size_t len);

/* ------------------------------------------------------------------------------------------------------------------
 * COBS (PROTOCOL.md 1): the canonical, shortest form. A final 0xFF block is not followed by a code byte.
 * ------------------------------------------------------------------------------------------------------------------ */

/* Encodes `len` bytes into `out` (no delimiter is written). Returns the encoded length (always >= 1), or 0 if `out`
 * is NULL or `out_cap` is too small (GP_COBS_BOUND(len) is always enough). `out` must not overlap `in`. */
size_t gp_cobs_encode(const uint8_t *in, size_t len, uint8_t *out, size_t out_cap);

/* Decodes `len` encoded bytes (without delimiter). Accepts the canonical form and the longer one with a code byte
 * 0x01 after a final 0xFF block. `out` may equal `in` (in-place decoding; the output is never longer than the input
 * minus one). On success stores the decoded length in *out_len and returns GP_OK; returns GP_ERR_COBS if a code
 * byte points past the end or a 0x00 appears, GP_ERR_ARG if out_cap is too small. */
int gp_cobs_decode(const uint8_t *in, size_t len, uint8_t *out, size_t out_cap, size_t *out_len);

/* ------------------------------------------------------------------------------------------------------------------
 * Frame encoder
 * ------------------------------------------------------------------------------------------------------------------ */

/* Builds the raw frame (version 1, type, seq, length, payload, CRC), COBS-encodes it on the fly (no intermediate
 * raw buffer, so the only RAM needed is `out`) and appends the 0x00 delimiter. Returns the number of bytes written
 * including the delimiter, or 0 on error (payload_len > GP_MAX_PAYLOAD, payload NULL with payload_len > 0, out NULL,
 * out_cap too small: GP_WIRE_BOUND(payload_len) or GP_MAX_WIRE is always enough). Never writes past out_cap. */
size_t gp_encode_frame(uint8_t type, uint16_t seq, const uint8_t *payload, size_t payload_len, uint8_t *out,
                       size_t out_cap);

/* ------------------------------------------------------------------------------------------------------------------
 * Streaming decoder (receiver rules of PROTOCOL.md 1.2)
 * ------------------------------------------------------------------------------------------------------------------ */

/* The PROTOCOL.md 1.2 counters. 32-bit so a microcontroller updates them in one instruction; they wrap after 2^32
 * (discarded_bytes after 4 GiB of rejected bytes, which a healthy link never reaches). */
typedef struct gp_counters {
    uint32_t frames;          /* good frames, unknown types included */
    uint32_t crc_errors;
    uint32_t malformed;
    uint32_t oversize;
    uint32_t bad_version;
    uint32_t unknown_type;
    uint32_t seq_gaps;
    uint32_t lost_frames;
    uint32_t seq_restarts;
    uint32_t truncated;
    uint32_t discarded_bytes; /* bytes (without delimiters) of every collection rejected by rules 2-5 and 8 */
} gp_counters;

/* One good frame. `payload` points into the decoder's buffer and stays valid only until the next byte is fed, the
 * decoder is reset or finished: copy what you need to keep. */
typedef struct gp_frame {
    uint8_t type;
    uint16_t seq;
    uint16_t length;
    const uint8_t *payload;   /* never NULL; points at an empty buffer when length == 0 */
    int known;                /* gp_type_known(type) */
} gp_frame;

typedef struct gp_decoder {
    uint8_t buf[GP_MAX_ENCODED];  /* the collection, decoded in place when its delimiter arrives */
    size_t n;                     /* bytes collected */
    int discarding;               /* 1: the collection overflowed (oversize counted), skip up to the next 0x00 */
    int have_seq;                 /* 0 until the first good frame after a reset */
    uint16_t expected_seq;
    gp_counters counters;
} gp_decoder;

/* Called for every good frame, in stream order. */
typedef void (*gp_frame_fn)(void *ctx, const gp_frame *frame);

/* Clears everything: collection, sequence expectation and counters. Call before first use. (An all-zero
 * gp_decoder, e.g. a static one, is also in the reset state.) */
void gp_decoder_reset(gp_decoder *d);

/* Feeds one byte. Returns 1 and fills *out when this byte (a delimiter) completed a good frame, else 0. The
 * byte-at-a-time form suits a UART receive interrupt or DMA half-buffer loop without callbacks. */
int gp_decoder_put(gp_decoder *d, uint8_t byte, gp_frame *out);

/* Feeds a chunk; calls fn(ctx, frame) for each good frame (fn may be NULL to just count). Chunk boundaries do not
 * matter: any split of a stream gives the same frames and counters. Returns the number of good frames. */
size_t gp_decoder_feed(gp_decoder *d, const uint8_t *data, size_t len, gp_frame_fn fn, void *ctx);

/* End of input (a recording ends, a link closes): a non-empty partial collection counts truncated (rule 8) and its
 * bytes discarded_bytes; a run already counted as oversize is not counted again. Keeps counters and the sequence
 * expectation, so feeding may continue (e.g. after a reconnect). */
void gp_decoder_finish(gp_decoder *d);

/* ------------------------------------------------------------------------------------------------------------------
 * Payloads (PROTOCOL.md 3). pack: returns the payload length written, 0 on error (bad argument or out_cap too
 * small). unpack: GP_OK or a GP_ERR_* code; bytes after the layout are ignored (room for later fields, as 3.1 says
 * for DEVICE_INFO). Reserved bytes are written as 0 and ignored when read.
 * ------------------------------------------------------------------------------------------------------------------ */

/* A string as pointer + byte count, not NUL-terminated: unpack points into the payload (no copy, no 256-byte
 * arrays on a small stack). UTF-8 is not validated here. */
typedef struct gp_str {
    const char *ptr;
    size_t len;               /* 0..255 */
} gp_str;

/* Copies s into out (out_cap bytes, e.g. 256) and NUL-terminates it, cutting if needed. Returns the length
 * copied. */
size_t gp_str_copy(gp_str s, char *out, size_t out_cap);

typedef struct gp_device_info {
    uint8_t protocol_version;
    uint8_t fw_major, fw_minor, fw_patch;
    uint16_t hw_revision;
    uint64_t device_uid;
    uint16_t imu_rate_hz;
    uint16_t acc_range_g;
    uint16_t gyro_range_dps;
    uint32_t audio_rate_hz;
    uint8_t audio_bits;
    uint8_t axis_convention;
    uint8_t flags;
    gp_str serial_number, model, imu_model, mic_model;
} gp_device_info;

/* IMU and audio blocks: the header fields plus a pointer to the little-endian i16 samples. unpack sets
 * samples_le into the payload; use gp_sample_at() to read one value. pack takes the samples as int16_t. */
typedef struct gp_imu_block {
    uint64_t t_first_us;
    uint32_t first_index;
    uint16_t count;
    uint8_t channels;         /* 3 or 6 */
    const uint8_t *samples_le;/* unpack only: count * channels i16, interleaved per sample */
} gp_imu_block;

typedef struct gp_audio_block {
    uint64_t t_first_us;
    uint32_t first_index;
    uint16_t count;
    uint8_t format;           /* GP_AUDIO_FORMAT_PCM16 */
    const uint8_t *samples_le;/* unpack only: count i16 */
} gp_audio_block;

typedef struct gp_marker {
    uint64_t t_us;
    uint8_t kind;
    uint16_t marker_id;
} gp_marker;

typedef struct gp_status {
    uint64_t t_us;
    uint16_t battery_mv;
    uint8_t battery_percent;
    uint8_t flags;
    uint32_t imu_dropped_total;
    uint32_t audio_dropped_total;
    uint32_t tx_frames_dropped_total;
    int16_t temperature_cdeg;
} gp_status;

typedef struct gp_pong {
    uint32_t token;
    uint64_t host_time_us;
    uint64_t device_rx_us;
    uint64_t device_tx_us;
} gp_pong;

typedef struct gp_ack {
    uint8_t command_type;
    uint8_t result;
    uint16_t command_seq;
} gp_ack;

typedef struct gp_configure {
    uint16_t imu_rate_hz;     /* 0 = keep */
    uint16_t acc_range_g;     /* 0 = keep */
    uint16_t gyro_range_dps;  /* 0 = keep, GP_GYRO_DISABLE = disable the gyroscope */
    uint32_t audio_rate_hz;   /* 0 = keep */
} gp_configure;

typedef struct gp_ping {
    uint32_t token;
    uint64_t host_time_us;
} gp_ping;

/* Sample i (0-based, over all count * channels values) of an unpacked IMU or audio block. */
int16_t gp_sample_at(const uint8_t *samples_le, size_t i);

size_t gp_pack_device_info(const gp_device_info *v, uint8_t *out, size_t out_cap);
/* channels must be 3 or 6, count >= 1 and the payload must fit GP_MAX_PAYLOAD; `samples` holds count * channels
 * values interleaved per sample. */
size_t gp_pack_imu_block(const gp_imu_block *v, const int16_t *samples, uint8_t *out, size_t out_cap);
/* count 1..GP_AUDIO_MAX_SAMPLES; `samples` holds count values. */
size_t gp_pack_audio_block(const gp_audio_block *v, const int16_t *samples, uint8_t *out, size_t out_cap);
size_t gp_pack_marker(const gp_marker *v, uint8_t *out, size_t out_cap);
size_t gp_pack_status(const gp_status *v, uint8_t *out, size_t out_cap);
size_t gp_pack_pong(const gp_pong *v, uint8_t *out, size_t out_cap);
size_t gp_pack_ack(const gp_ack *v, uint8_t *out, size_t out_cap);
size_t gp_pack_configure(const gp_configure *v, uint8_t *out, size_t out_cap);
size_t gp_pack_ping(const gp_ping *v, uint8_t *out, size_t out_cap);

/* DEVICE_INFO: GP_ERR_SHORT if the fixed part or any string runs past the payload. */
int gp_unpack_device_info(const uint8_t *p, size_t len, gp_device_info *v);
/* IMU_BLOCK: GP_ERR_VALUE for count 0 or channels not 3/6; GP_ERR_SHORT if fewer than 16 + count*channels*2
 * bytes. */
int gp_unpack_imu_block(const uint8_t *p, size_t len, gp_imu_block *v);
/* AUDIO_BLOCK: GP_ERR_VALUE for count 0 or format not PCM16 (other formats would not be 2 bytes per sample);
 * GP_ERR_SHORT if fewer than 16 + count*2 bytes. */
int gp_unpack_audio_block(const uint8_t *p, size_t len, gp_audio_block *v);
int gp_unpack_marker(const uint8_t *p, size_t len, gp_marker *v);
int gp_unpack_status(const uint8_t *p, size_t len, gp_status *v);
int gp_unpack_pong(const uint8_t *p, size_t len, gp_pong *v);
int gp_unpack_ack(const uint8_t *p, size_t len, gp_ack *v);
int gp_unpack_configure(const uint8_t *p, size_t len, gp_configure *v);
int gp_unpack_ping(const uint8_t *p, size_t len, gp_ping *v);

#ifdef __cplusplus
}
#endif

#endif /* GP_PROTO_H */
