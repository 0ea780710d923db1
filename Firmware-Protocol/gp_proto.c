/*
 * gp_proto.c - portable C99 reference codec for the gaitpop sensor wire protocol, version 1 (see gp_proto.h and
 * PROTOCOL.md). No allocation, no libc beyond <string.h>; byte-order independent.
 */
#include "gp_proto.h"

#include <string.h>

/* ------------------------------------------------------------------------------------------------------------------
 * Little-endian helpers: byte by byte, so the code is right on any CPU byte order and never does an unaligned load.
 * ------------------------------------------------------------------------------------------------------------------ */

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | ((uint16_t)p[1] << 8)); }

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32); }

static void wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void wr64(uint8_t *p, uint64_t v)
{
    wr32(p, (uint32_t)v);
    wr32(p + 4, (uint32_t)(v >> 32));
}

/* Two's complement i16 from its 16 bits without implementation-defined conversion of out-of-range values. */
static int16_t to_i16(uint16_t u) { return (u & 0x8000u) ? (int16_t)(-(int32_t)(0x10000ul - u)) : (int16_t)u; }

int gp_type_known(uint8_t type) { return (type >= 0x01 && type <= 0x07) || (type >= 0x81 && type <= 0x85); }

/* ------------------------------------------------------------------------------------------------------------------
 * CRC-32/ISO-HDLC
 * ------------------------------------------------------------------------------------------------------------------ */

#ifdef GP_CRC32_SMALL
/* 16-entry table, 4 bits per step: 64 bytes of flash. */
static const uint32_t crc_nibble[16] = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u, 0x4DB26158u, 0x5005713Cu,
    0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu, 0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu};

uint32_t gp_crc32_update(uint32_t crc, const uint8_t *data, size_t len)
{
    uint32_t c = crc ^ 0xFFFFFFFFu;
    size_t i;
    for (i = 0; i < len; i++) {
        c ^= data[i];
        c = crc_nibble[c & 0x0Fu] ^ (c >> 4);
        c = crc_nibble[c & 0x0Fu] ^ (c >> 4);
    }
    return c ^ 0xFFFFFFFFu;
}
#else
/* 256-entry table (1 KB, const so it lives in flash), one look-up per byte. Generated at compile time would need a
 * build step; a literal table is the most portable choice for every toolchain. */
static const uint32_t crc_table[256] = {
    0x00000000u, 0x77073096u, 0xEE0E612Cu, 0x990951BAu, 0x076DC419u, 0x706AF48Fu, 0xE963A535u, 0x9E6495A3u,
    0x0EDB8832u, 0x79DCB8A4u, 0xE0D5E91Eu, 0x97D2D988u, 0x09B64C2Bu, 0x7EB17CBDu, 0xE7B82D07u, 0x90BF1D91u,
    0x1DB71064u, 0x6AB020F2u, 0xF3B97148u, 0x84BE41DEu, 0x1ADAD47Du, 0x6DDDE4EBu, 0xF4D4B551u, 0x83D385C7u,
    0x136C9856u, 0x646BA8C0u, 0xFD62F97Au, 0x8A65C9ECu, 0x14015C4Fu, 0x63066CD9u, 0xFA0F3D63u, 0x8D080DF5u,
    0x3B6E20C8u, 0x4C69105Eu, 0xD56041E4u, 0xA2677172u, 0x3C03E4D1u, 0x4B04D447u, 0xD20D85FDu, 0xA50AB56Bu,
    0x35B5A8FAu, 0x42B2986Cu, 0xDBBBC9D6u, 0xACBCF940u, 0x32D86CE3u, 0x45DF5C75u, 0xDCD60DCFu, 0xABD13D59u,
    0x26D930ACu, 0x51DE003Au, 0xC8D75180u, 0xBFD06116u, 0x21B4F4B5u, 0x56B3C423u, 0xCFBA9599u, 0xB8BDA50Fu,
    0x2802B89Eu, 0x5F058808u, 0xC60CD9B2u, 0xB10BE924u, 0x2F6F7C87u, 0x58684C11u, 0xC1611DABu, 0xB6662D3Du,
    0x76DC4190u, 0x01DB7106u, 0x98D220BCu, 0xEFD5102Au, 0x71B18589u, 0x06B6B51Fu, 0x9FBFE4A5u, 0xE8B8D433u,
    0x7807C9A2u, 0x0F00F934u, 0x9609A88Eu, 0xE10E9818u, 0x7F6A0DBBu, 0x086D3D2Du, 0x91646C97u, 0xE6635C01u,
    0x6B6B51F4u, 0x1C6C6162u, 0x856530D8u, 0xF262004Eu, 0x6C0695EDu, 0x1B01A57Bu, 0x8208F4C1u, 0xF50FC457u,
    0x65B0D9C6u, 0x12B7E950u, 0x8BBEB8EAu, 0xFCB9887Cu, 0x62DD1DDFu, 0x15DA2D49u, 0x8CD37CF3u, 0xFBD44C65u,
    0x4DB26158u, 0x3AB551CEu, 0xA3BC0074u, 0xD4BB30E2u, 0x4ADFA541u, 0x3DD895D7u, 0xA4D1C46Du, 0xD3D6F4FBu,
    0x4369E96Au, 0x346ED9FCu, 0xAD678846u, 0xDA60B8D0u, 0x44042D73u, 0x33031DE5u, 0xAA0A4C5Fu, 0xDD0D7CC9u,
    0x5005713Cu, 0x270241AAu, 0xBE0B1010u, 0xC90C2086u, 0x5768B525u, 0x206F85B3u, 0xB966D409u, 0xCE61E49Fu,
    0x5EDEF90Eu, 0x29D9C998u, 0xB0D09822u, 0xC7D7A8B4u, 0x59B33D17u, 0x2EB40D81u, 0xB7BD5C3Bu, 0xC0BA6CADu,
    0xEDB88320u, 0x9ABFB3B6u, 0x03B6E20Cu, 0x74B1D29Au, 0xEAD54739u, 0x9DD277AFu, 0x04DB2615u, 0x73DC1683u,
    0xE3630B12u, 0x94643B84u, 0x0D6D6A3Eu, 0x7A6A5AA8u, 0xE40ECF0Bu, 0x9309FF9Du, 0x0A00AE27u, 0x7D079EB1u,
    0xF00F9344u, 0x8708A3D2u, 0x1E01F268u, 0x6906C2FEu, 0xF762575Du, 0x806567CBu, 0x196C3671u, 0x6E6B06E7u,
    0xFED41B76u, 0x89D32BE0u, 0x10DA7A5Au, 0x67DD4ACCu, 0xF9B9DF6Fu, 0x8EBEEFF9u, 0x17B7BE43u, 0x60B08ED5u,
    0xD6D6A3E8u, 0xA1D1937Eu, 0x38D8C2C4u, 0x4FDFF252u, 0xD1BB67F1u, 0xA6BC5767u, 0x3FB506DDu, 0x48B2364Bu,
    0xD80D2BDAu, 0xAF0A1B4Cu, 0x36034AF6u, 0x41047A60u, 0xDF60EFC3u, 0xA867DF55u, 0x316E8EEFu, 0x4669BE79u,
    0xCB61B38Cu, 0xBC66831Au, 0x256FD2A0u, 0x5268E236u, 0xCC0C7795u, 0xBB0B4703u, 0x220216B9u, 0x5505262Fu,
    0xC5BA3BBEu, 0xB2BD0B28u, 0x2BB45A92u, 0x5CB36A04u, 0xC2D7FFA7u, 0xB5D0CF31u, 0x2CD99E8Bu, 0x5BDEAE1Du,
    0x9B64C2B0u, 0xEC63F226u, 0x756AA39Cu, 0x026D930Au, 0x9C0906A9u, 0xEB0E363Fu, 0x72076785u, 0x05005713u,
    0x95BF4A82u, 0xE2B87A14u, 0x7BB12BAEu, 0x0CB61B38u, 0x92D28E9Bu, 0xE5D5BE0Du, 0x7CDCEFB7u, 0x0BDBDF21u,
    0x86D3D2D4u, 0xF1D4E242u, 0x68DDB3F8u, 0x1FDA836Eu, 0x81BE16CDu, 0xF6B9265Bu, 0x6FB077E1u, 0x18B74777u,
    0x88085AE6u, 0xFF0F6A70u, 0x66063BCAu, 0x11010B5Cu, 0x8F659EFFu, 0xF862AE69u, 0x616BFFD3u, 0x166CCF45u,
    0xA00AE278u, 0xD70DD2EEu, 0x4E048354u, 0x3903B3C2u, 0xA7672661u, 0xD06016F7u, 0x4969474Du, 0x3E6E77DBu,
    0xAED16A4Au, 0xD9D65ADCu, 0x40DF0B66u, 0x37D83BF0u, 0xA9BCAE53u, 0xDEBB9EC5u, 0x47B2CF7Fu, 0x30B5FFE9u,
    0xBDBDF21Cu, 0xCABAC28Au, 0x53B39330u, 0x24B4A3A6u, 0xBAD03605u, 0xCDD70693u, 0x54DE5729u, 0x23D967BFu,
    0xB3667A2Eu, 0xC4614AB8u, 0x5D681B02u, 0x2A6F2B94u, 0xB40BBE37u, 0xC30C8EA1u, 0x5A05DF1Bu, 0x2D02EF8Du};

uint32_t gp_crc32_update(uint32_t crc, const uint8_t *data, size_t len)
{
    uint32_t c = crc ^ 0xFFFFFFFFu;
    size_t i;
    for (i = 0; i < len; i++)
        c = crc_table[(c ^ data[i]) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}
#endif

uint32_t gp_crc32(const uint8_t *data, size_t len) { return gp_crc32_update(0, data, len); }

/* ------------------------------------------------------------------------------------------------------------------
 * COBS
 *
 * Streaming encoder: bytes go in one at a time, so gp_encode_frame can encode header, payload and CRC straight from
 * where they are, without a 2058-byte raw copy on a small stack. `open` is 0 right after a 0xFF block: the next
 * code byte is reserved only when another byte actually follows, which is what makes the output canonical (no
 * redundant 0x01 after a final 0xFF block).
 * ------------------------------------------------------------------------------------------------------------------ */

typedef struct cobs_enc {
    uint8_t *out;
    size_t cap;
    size_t w;        /* next write position */
    size_t code_pos; /* where the current block's code byte goes */
    uint8_t code;    /* 1 + data bytes in the current block */
    int open;        /* a block (and its code byte slot) is open */
    int overflow;
} cobs_enc;

static void ce_start(cobs_enc *e, uint8_t *out, size_t cap)
{
    e->out = out;
    e->cap = cap;
    e->w = 0;
    e->code_pos = 0;
    e->code = 1;
    e->open = 0;
    e->overflow = 0;
}

static void ce_open(cobs_enc *e)
{
    if (e->w >= e->cap) {
        e->overflow = 1;
        return;
    }
    e->code_pos = e->w++;
    e->code = 1;
    e->open = 1;
}

static void ce_put(cobs_enc *e, uint8_t b)
{
    if (e->overflow)
        return;
    if (!e->open) {
        ce_open(e);
        if (e->overflow)
            return;
    }
    if (b == 0) {
        e->out[e->code_pos] = e->code; /* block ends; the decoder restores the zero */
        ce_open(e);
        return;
    }
    if (e->w >= e->cap) {
        e->overflow = 1;
        return;
    }
    e->out[e->w++] = b;
    if (++e->code == 0xFF) {
        e->out[e->code_pos] = 0xFF;    /* full block, no implied zero */
        e->open = 0;
    }
}

static void ce_put_n(cobs_enc *e, const uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        ce_put(e, p[i]);
}

/* Returns the encoded length or 0 on overflow. */
static size_t ce_finish(cobs_enc *e)
{
    if (e->overflow)
        return 0;
    if (e->w == 0) {              /* empty input encodes as 0x01 */
        ce_open(e);
        if (e->overflow)
            return 0;
    }
    if (e->open)
        e->out[e->code_pos] = e->code;
    return e->w;
}

size_t gp_cobs_encode(const uint8_t *in, size_t len, uint8_t *out, size_t out_cap)
{
    cobs_enc e;
    if (out == NULL || (in == NULL && len > 0))
        return 0;
    ce_start(&e, out, out_cap);
    ce_put_n(&e, in, len);
    return ce_finish(&e);
}

int gp_cobs_decode(const uint8_t *in, size_t len, uint8_t *out, size_t out_cap, size_t *out_len)
{
    size_t r = 0, w = 0;
    if ((in == NULL && len > 0) || out_len == NULL || (out == NULL && len > 0))
        return GP_ERR_ARG;
    while (r < len) {
        size_t code = in[r++];
        size_t i;
        if (code == 0)
            return GP_ERR_COBS;
        if (code - 1 > len - r)
            return GP_ERR_COBS;   /* the code byte points past the end */
        if (code - 1 > out_cap - w)
            return GP_ERR_ARG;
        /* Forward byte copy: safe in place because w <= r - 1 always (each block shrinks by its code byte). */
        for (i = 1; i < code; i++) {
            uint8_t b = in[r++];
            if (b == 0)
                return GP_ERR_COBS;
            out[w++] = b;
        }
        if (code < 0xFF && r < len) {
            if (w >= out_cap)
                return GP_ERR_ARG;
            out[w++] = 0;
        }
    }
    *out_len = w;
    return GP_OK;
}

/* ------------------------------------------------------------------------------------------------------------------
 * Frame encoder
 * ------------------------------------------------------------------------------------------------------------------ */

size_t gp_encode_frame(uint8_t type, uint16_t seq, const uint8_t *payload, size_t payload_len, uint8_t *out,
                       size_t out_cap)
{
    uint8_t hdr[GP_HEADER_SIZE];
    uint8_t crcb[GP_CRC_SIZE];
    uint32_t crc;
    cobs_enc e;
    size_t n;

    if (out == NULL || payload_len > GP_MAX_PAYLOAD || (payload == NULL && payload_len > 0))
        return 0;
    hdr[0] = (uint8_t)GP_VERSION;
    hdr[1] = type;
    wr16(hdr + 2, seq);
    wr16(hdr + 4, (uint16_t)payload_len);
    crc = gp_crc32_update(0, hdr, sizeof hdr);
    crc = gp_crc32_update(crc, payload, payload_len);
    wr32(crcb, crc);

    ce_start(&e, out, out_cap);
    ce_put_n(&e, hdr, sizeof hdr);
    ce_put_n(&e, payload, payload_len);
    ce_put_n(&e, crcb, sizeof crcb);
    n = ce_finish(&e);
    if (n == 0 || n >= out_cap)
        return 0;
    out[n] = 0x00;
    return n + 1;
}

/* ------------------------------------------------------------------------------------------------------------------
 * Streaming decoder
 * ------------------------------------------------------------------------------------------------------------------ */

static const uint8_t empty_payload[1] = {0};

void gp_decoder_reset(gp_decoder *d) { memset(d, 0, sizeof *d); }

/* A collection is complete (its delimiter arrived): apply rules 3-7. Returns 1 for a good frame. */
static int process_collection(gp_decoder *d, gp_frame *out)
{
    gp_counters *c = &d->counters;
    size_t n = d->n, raw_len = 0;
    uint16_t length, seq;

    d->n = 0;
    if (gp_cobs_decode(d->buf, n, d->buf, sizeof d->buf, &raw_len) != GP_OK || raw_len < GP_OVERHEAD) {
        c->malformed++;
        c->discarded_bytes += (uint32_t)n;
        return 0;
    }
    length = rd16(d->buf + 4);
    if ((size_t)length != raw_len - GP_OVERHEAD || length > GP_MAX_PAYLOAD) {
        c->malformed++;
        c->discarded_bytes += (uint32_t)n;
        return 0;
    }
    if (gp_crc32(d->buf, raw_len - GP_CRC_SIZE) != rd32(d->buf + raw_len - GP_CRC_SIZE)) {
        c->crc_errors++;
        c->discarded_bytes += (uint32_t)n;
        return 0;
    }
    if (d->buf[0] != GP_VERSION) {
        c->bad_version++;
        c->discarded_bytes += (uint32_t)n;
        return 0;
    }

    c->frames++;
    out->type = d->buf[1];
    out->known = gp_type_known(out->type);
    if (!out->known)
        c->unknown_type++;

    seq = rd16(d->buf + 2);
    if (d->have_seq) {
        uint16_t dist = (uint16_t)(seq - d->expected_seq); /* mod 65536 */
        if (dist != 0 && dist < 32768u) {
            c->seq_gaps++;
            c->lost_frames += dist;
        } else if (dist >= 32768u) {
            c->seq_restarts++;
        }
    }
    d->have_seq = 1;
    d->expected_seq = (uint16_t)(seq + 1u);

    out->seq = seq;
    out->length = length;
    out->payload = length ? d->buf + GP_HEADER_SIZE : empty_payload;
    return 1;
}

int gp_decoder_put(gp_decoder *d, uint8_t byte, gp_frame *out)
{
    if (byte == 0x00) {
        if (d->discarding) {           /* end of an oversize run: already counted */
            d->discarding = 0;
            return 0;
        }
        if (d->n == 0)                 /* rule 1: empty frame, idle filler */
            return 0;
        return process_collection(d, out);
    }
    if (d->discarding) {
        d->counters.discarded_bytes++;
        return 0;
    }
    if (d->n == GP_MAX_ENCODED) {      /* rule 2: this byte is one too many */
        d->counters.oversize++;
        d->counters.discarded_bytes += (uint32_t)(d->n + 1u);
        d->n = 0;
        d->discarding = 1;
        return 0;
    }
    d->buf[d->n++] = byte;
    return 0;
}

size_t gp_decoder_feed(gp_decoder *d, const uint8_t *data, size_t len, gp_frame_fn fn, void *ctx)
{
    size_t i, frames = 0;
    gp_frame f;
    for (i = 0; i < len; i++) {
        if (gp_decoder_put(d, data[i], &f)) {
            frames++;
            if (fn != NULL)
                fn(ctx, &f);
        }
    }
    return frames;
}

void gp_decoder_finish(gp_decoder *d)
{
    if (d->discarding) {
        d->discarding = 0;
    } else if (d->n > 0) {
        d->counters.truncated++;
        d->counters.discarded_bytes += (uint32_t)d->n;
    }
    d->n = 0;
}

/* ------------------------------------------------------------------------------------------------------------------
 * Payloads
 * ------------------------------------------------------------------------------------------------------------------ */

size_t gp_str_copy(gp_str s, char *out, size_t out_cap)
{
    size_t n = s.len;
    if (out == NULL || out_cap == 0)
        return 0;
    if (n > out_cap - 1)
        n = out_cap - 1;
    if (n > 0 && s.ptr != NULL)
        memcpy(out, s.ptr, n);
    else
        n = 0;
    out[n] = '\0';
    return n;
}

int16_t gp_sample_at(const uint8_t *samples_le, size_t i) { return to_i16(rd16(samples_le + 2 * i)); }

static size_t put_str(uint8_t *p, gp_str s)
{
    p[0] = (uint8_t)s.len;
    if (s.len > 0)
        memcpy(p + 1, s.ptr, s.len);
    return 1 + s.len;
}

static int str_ok(gp_str s) { return s.len <= 255u && (s.len == 0 || s.ptr != NULL); }

size_t gp_pack_device_info(const gp_device_info *v, uint8_t *out, size_t out_cap)
{
    size_t need, w;
    if (v == NULL || out == NULL || !str_ok(v->serial_number) || !str_ok(v->model) || !str_ok(v->imu_model) ||
        !str_ok(v->mic_model))
        return 0;
    need = GP_DEVICE_INFO_MIN + v->serial_number.len + v->model.len + v->imu_model.len + v->mic_model.len;
    if (need > out_cap || need > GP_MAX_PAYLOAD)
        return 0;
    out[0] = v->protocol_version;
    out[1] = v->fw_major;
    out[2] = v->fw_minor;
    out[3] = v->fw_patch;
    wr16(out + 4, v->hw_revision);
    wr64(out + 6, v->device_uid);
    wr16(out + 14, v->imu_rate_hz);
    wr16(out + 16, v->acc_range_g);
    wr16(out + 18, v->gyro_range_dps);
    wr32(out + 20, v->audio_rate_hz);
    out[24] = v->audio_bits;
    out[25] = v->axis_convention;
    out[26] = v->flags;
    out[27] = 0;
    w = 28;
    w += put_str(out + w, v->serial_number);
    w += put_str(out + w, v->model);
    w += put_str(out + w, v->imu_model);
    w += put_str(out + w, v->mic_model);
    return w;
}

static int get_str(const uint8_t *p, size_t len, size_t *pos, gp_str *s)
{
    size_t n;
    if (*pos >= len)
        return GP_ERR_SHORT;
    n = p[*pos];
    if (n > len - *pos - 1)
        return GP_ERR_SHORT;
    s->ptr = (const char *)(p + *pos + 1);
    s->len = n;
    *pos += 1 + n;
    return GP_OK;
}

int gp_unpack_device_info(const uint8_t *p, size_t len, gp_device_info *v)
{
    size_t pos = 28;
    if (p == NULL || v == NULL)
        return GP_ERR_ARG;
    if (len < GP_DEVICE_INFO_MIN)
        return GP_ERR_SHORT;
    v->protocol_version = p[0];
    v->fw_major = p[1];
    v->fw_minor = p[2];
    v->fw_patch = p[3];
    v->hw_revision = rd16(p + 4);
    v->device_uid = rd64(p + 6);
    v->imu_rate_hz = rd16(p + 14);
    v->acc_range_g = rd16(p + 16);
    v->gyro_range_dps = rd16(p + 18);
    v->audio_rate_hz = rd32(p + 20);
    v->audio_bits = p[24];
    v->axis_convention = p[25];
    v->flags = p[26];
    if (get_str(p, len, &pos, &v->serial_number) || get_str(p, len, &pos, &v->model) ||
        get_str(p, len, &pos, &v->imu_model) || get_str(p, len, &pos, &v->mic_model))
        return GP_ERR_SHORT;
    return GP_OK; /* bytes after the four strings are ignored (3.1) */
}

/* Shared header of IMU_BLOCK and AUDIO_BLOCK: t_first_us, first_index, count, channels/format, reserved. */
static void put_block_header(uint8_t *out, uint64_t t, uint32_t idx, uint16_t count, uint8_t b14)
{
    wr64(out, t);
    wr32(out + 8, idx);
    wr16(out + 12, count);
    out[14] = b14;
    out[15] = 0;
}

static void put_samples(uint8_t *out, const int16_t *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        wr16(out + 2 * i, (uint16_t)s[i]); /* int16 -> uint16 is defined (mod 2^16) */
}

size_t gp_pack_imu_block(const gp_imu_block *v, const int16_t *samples, uint8_t *out, size_t out_cap)
{
    size_t values, need;
    if (v == NULL || samples == NULL || out == NULL || (v->channels != 3 && v->channels != 6) || v->count == 0)
        return 0;
    values = (size_t)v->count * v->channels;
    need = GP_IMU_HEADER + 2 * values;
    if (need > GP_MAX_PAYLOAD || need > out_cap)
        return 0;
    put_block_header(out, v->t_first_us, v->first_index, v->count, v->channels);
    put_samples(out + GP_IMU_HEADER, samples, values);
    return need;
}

int gp_unpack_imu_block(const uint8_t *p, size_t len, gp_imu_block *v)
{
    if (p == NULL || v == NULL)
        return GP_ERR_ARG;
    if (len < GP_IMU_HEADER)
        return GP_ERR_SHORT;
    v->t_first_us = rd64(p);
    v->first_index = rd32(p + 8);
    v->count = rd16(p + 12);
    v->channels = p[14];
    v->samples_le = p + GP_IMU_HEADER;
    if (v->count == 0 || (v->channels != 3 && v->channels != 6))
        return GP_ERR_VALUE;
    if ((len - GP_IMU_HEADER) / 2u / v->channels < v->count)
        return GP_ERR_SHORT;
    return GP_OK;
}

size_t gp_pack_audio_block(const gp_audio_block *v, const int16_t *samples, uint8_t *out, size_t out_cap)
{
    size_t need;
    if (v == NULL || samples == NULL || out == NULL || v->count == 0 || v->count > GP_AUDIO_MAX_SAMPLES)
        return 0;
    need = GP_AUDIO_HEADER + 2u * v->count;
    if (need > out_cap)
        return 0;
    put_block_header(out, v->t_first_us, v->first_index, v->count, v->format);
    put_samples(out + GP_AUDIO_HEADER, samples, v->count);
    return need;
}

int gp_unpack_audio_block(const uint8_t *p, size_t len, gp_audio_block *v)
{
    if (p == NULL || v == NULL)
        return GP_ERR_ARG;
    if (len < GP_AUDIO_HEADER)
        return GP_ERR_SHORT;
    v->t_first_us = rd64(p);
    v->first_index = rd32(p + 8);
    v->count = rd16(p + 12);
    v->format = p[14];
    v->samples_le = p + GP_AUDIO_HEADER;
    if (v->count == 0 || v->format != GP_AUDIO_FORMAT_PCM16)
        return GP_ERR_VALUE;
    if ((len - GP_AUDIO_HEADER) / 2u < v->count)
        return GP_ERR_SHORT;
    return GP_OK;
}

size_t gp_pack_marker(const gp_marker *v, uint8_t *out, size_t out_cap)
{
    if (v == NULL || out == NULL || out_cap < GP_MARKER_SIZE)
        return 0;
    wr64(out, v->t_us);
    out[8] = v->kind;
    out[9] = 0;
    wr16(out + 10, v->marker_id);
    return GP_MARKER_SIZE;
}

int gp_unpack_marker(const uint8_t *p, size_t len, gp_marker *v)
{
    if (p == NULL || v == NULL)
        return GP_ERR_ARG;
    if (len < GP_MARKER_SIZE)
        return GP_ERR_SHORT;
    v->t_us = rd64(p);
    v->kind = p[8];
    v->marker_id = rd16(p + 10);
    return GP_OK;
}

size_t gp_pack_status(const gp_status *v, uint8_t *out, size_t out_cap)
{
    if (v == NULL || out == NULL || out_cap < GP_STATUS_SIZE)
        return 0;
    wr64(out, v->t_us);
    wr16(out + 8, v->battery_mv);
    out[10] = v->battery_percent;
    out[11] = v->flags;
    wr32(out + 12, v->imu_dropped_total);
    wr32(out + 16, v->audio_dropped_total);
    wr32(out + 20, v->tx_frames_dropped_total);
    wr16(out + 24, (uint16_t)v->temperature_cdeg);
    return GP_STATUS_SIZE;
}

int gp_unpack_status(const uint8_t *p, size_t len, gp_status *v)
{
    if (p == NULL || v == NULL)
        return GP_ERR_ARG;
    if (len < GP_STATUS_SIZE)
        return GP_ERR_SHORT;
    v->t_us = rd64(p);
    v->battery_mv = rd16(p + 8);
    v->battery_percent = p[10];
    v->flags = p[11];
    v->imu_dropped_total = rd32(p + 12);
    v->audio_dropped_total = rd32(p + 16);
    v->tx_frames_dropped_total = rd32(p + 20);
    v->temperature_cdeg = to_i16(rd16(p + 24));
    return GP_OK;
}

size_t gp_pack_pong(const gp_pong *v, uint8_t *out, size_t out_cap)
{
    if (v == NULL || out == NULL || out_cap < GP_PONG_SIZE)
        return 0;
    wr32(out, v->token);
    wr64(out + 4, v->host_time_us);
    wr64(out + 12, v->device_rx_us);
    wr64(out + 20, v->device_tx_us);
    return GP_PONG_SIZE;
}

int gp_unpack_pong(const uint8_t *p, size_t len, gp_pong *v)
{
    if (p == NULL || v == NULL)
        return GP_ERR_ARG;
    if (len < GP_PONG_SIZE)
        return GP_ERR_SHORT;
    v->token = rd32(p);
    v->host_time_us = rd64(p + 4);
    v->device_rx_us = rd64(p + 12);
    v->device_tx_us = rd64(p + 20);
    return GP_OK;
}

size_t gp_pack_ack(const gp_ack *v, uint8_t *out, size_t out_cap)
{
    if (v == NULL || out == NULL || out_cap < GP_ACK_SIZE)
        return 0;
    out[0] = v->command_type;
    out[1] = v->result;
    wr16(out + 2, v->command_seq);
    return GP_ACK_SIZE;
}

int gp_unpack_ack(const uint8_t *p, size_t len, gp_ack *v)
{
    if (p == NULL || v == NULL)
        return GP_ERR_ARG;
    if (len < GP_ACK_SIZE)
        return GP_ERR_SHORT;
    v->command_type = p[0];
    v->result = p[1];
    v->command_seq = rd16(p + 2);
    return GP_OK;
}

size_t gp_pack_configure(const gp_configure *v, uint8_t *out, size_t out_cap)
{
    if (v == NULL || out == NULL || out_cap < GP_CONFIGURE_SIZE)
        return 0;
    wr16(out, v->imu_rate_hz);
    wr16(out + 2, v->acc_range_g);
    wr16(out + 4, v->gyro_range_dps);
    wr32(out + 6, v->audio_rate_hz);
    return GP_CONFIGURE_SIZE;
}

int gp_unpack_configure(const uint8_t *p, size_t len, gp_configure *v)
{
    if (p == NULL || v == NULL)
        return GP_ERR_ARG;
    if (len < GP_CONFIGURE_SIZE)
        return GP_ERR_SHORT;
    v->imu_rate_hz = rd16(p);
    v->acc_range_g = rd16(p + 2);
    v->gyro_range_dps = rd16(p + 4);
    v->audio_rate_hz = rd32(p + 6);
    return GP_OK;
}

size_t gp_pack_ping(const gp_ping *v, uint8_t *out, size_t out_cap)
{
    if (v == NULL || out == NULL || out_cap < GP_PING_SIZE)
        return 0;
    wr32(out, v->token);
    wr64(out + 4, v->host_time_us);
    return GP_PING_SIZE;
}

int gp_unpack_ping(const uint8_t *p, size_t len, gp_ping *v)
{
    if (p == NULL || v == NULL)
        return GP_ERR_ARG;
    if (len < GP_PING_SIZE)
        return GP_ERR_SHORT;
    v->token = rd32(p);
    v->host_time_us = rd64(p + 4);
    return GP_OK;
}
