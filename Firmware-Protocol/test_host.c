/*
 * test_host.c - host test of the C99 reference codec (gp_proto.c) against the independent vectors in vectors/.
 *
 * Usage: test_host [VECTOR_DIR]   (default "vectors"; reads VECTOR_DIR/expected.txt and every file it lists)
 *
 * For every vector: feeds the file to a fresh gp_decoder three ways (all at once, one byte at a time, pseudo-random
 * chunks with a fixed seed), calls gp_decoder_finish, and checks the good frames and all counters exactly; checks the
 * `field` lines with the unpack helpers; and checks that gp_encode_frame reproduces each good frame's bytes (except
 * in `noncanonical` vectors). Then: CRC check value and table, COBS known answers, pack/encode/decode/unpack round
 * trips of every payload type, short-payload errors, encoder capacity limits.
 *
 * Prints every failure and a last line "N passed, M failed"; exits 1 if anything failed.
 * The host test may use the full C library; gp_proto.c may not.
 */
#include "gp_proto.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------------------------------
 * Check bookkeeping
 * ------------------------------------------------------------------------------------------------------------------ */

static unsigned long g_pass, g_fail;

static int check(int ok, const char *fmt, ...)
{
    if (ok) {
        g_pass++;
    } else {
        va_list ap;
        g_fail++;
        fputs("FAIL: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
    }
    return ok;
}

static void die(const char *fmt, ...)
{
    va_list ap;
    fputs("ERROR: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fprintf(stdout, "%lu passed, %lu failed\n", g_pass, g_fail + 1);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        die("out of memory");
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (p == NULL)
        die("out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xmalloc(n);
    memcpy(p, s, n);
    return p;
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;
    if (f == NULL)
        die("cannot open %s", path);
    for (;;) {
        size_t got;
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            buf = xrealloc(buf, cap + 1);
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        die("cannot read %s", path);
    fclose(f);
    if (buf == NULL)
        buf = xmalloc(1);
    buf[n] = 0;
    *len = n;
    return buf;
}

/* Deterministic PRNG for chunk sizes (xorshift32, fixed seed). */
static uint32_t g_rng = 0x5EEDF00Du;

static uint32_t rng_next(void)
{
    uint32_t s = g_rng;
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    g_rng = s;
    return s;
}

/* ------------------------------------------------------------------------------------------------------------------
 * Manifest
 * ------------------------------------------------------------------------------------------------------------------ */

#define NCOUNTERS 11
static const char *const counter_names[NCOUNTERS] = {"frames",       "crc_errors", "malformed",   "oversize",
                                                     "bad_version",  "unknown_type", "seq_gaps",  "lost_frames",
                                                     "seq_restarts", "truncated",  "discarded_bytes"};

static void counters_to_array(const gp_counters *c, unsigned long out[NCOUNTERS])
{
    out[0] = c->frames;
    out[1] = c->crc_errors;
    out[2] = c->malformed;
    out[3] = c->oversize;
    out[4] = c->bad_version;
    out[5] = c->unknown_type;
    out[6] = c->seq_gaps;
    out[7] = c->lost_frames;
    out[8] = c->seq_restarts;
    out[9] = c->truncated;
    out[10] = c->discarded_bytes;
}

typedef struct {
    uint8_t type;
    uint16_t seq;
    uint8_t *payload;
    size_t len;
    char **fields; /* "name=value" */
    size_t nfields;
} exp_frame;

typedef struct {
    char *file;
    int noncanonical;
    exp_frame *frames;
    size_t nframes;
    unsigned long counters[NCOUNTERS];
    int have_counters;
    int line;
} exp_vector;

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static uint8_t *parse_hex(const char *s, size_t *len, int line)
{
    size_t n = strlen(s), i;
    uint8_t *out;
    if (strcmp(s, "-") == 0) {
        *len = 0;
        return xmalloc(1);
    }
    if (n % 2 != 0)
        die("expected.txt:%d: odd hex length", line);
    out = xmalloc(n / 2);
    for (i = 0; i < n / 2; i++) {
        int hi = hexval((unsigned char)s[2 * i]), lo = hexval((unsigned char)s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            die("expected.txt:%d: bad hex", line);
        out[i] = (uint8_t)(hi * 16 + lo);
    }
    *len = n / 2;
    return out;
}

static exp_vector *parse_manifest(char *text, size_t *nvec)
{
    exp_vector *vs = NULL, *cur = NULL;
    size_t n = 0;
    int line = 0;
    char *p = text;
    while (*p) {
        char *eol = strchr(p, '\n');
        char *next = eol ? eol + 1 : p + strlen(p);
        size_t l;
        if (eol)
            *eol = 0;
        l = strlen(p);
        if (l > 0 && p[l - 1] == '\r')
            p[--l] = 0;
        line++;
        if (l == 0 || p[0] == '#') {
            /* comment */
        } else if (strncmp(p, "vector ", 7) == 0) {
            if (cur != NULL)
                die("expected.txt:%d: 'vector' inside a block", line);
            vs = xrealloc(vs, (n + 1) * sizeof *vs);
            cur = &vs[n++];
            memset(cur, 0, sizeof *cur);
            cur->file = xstrdup(p + 7);
            cur->line = line;
        } else if (cur == NULL) {
            die("expected.txt:%d: line outside a vector block: %s", line, p);
        } else if (strncmp(p, "note ", 5) == 0 || strcmp(p, "note") == 0) {
            /* free text */
        } else if (strcmp(p, "noncanonical") == 0) {
            cur->noncanonical = 1;
        } else if (strncmp(p, "frame ", 6) == 0) {
            char type_s[8], seq_s[16];
            const char *hex;
            unsigned long t, s;
            char *end;
            exp_frame *f;
            if (sscanf(p + 6, "%7s %15s", type_s, seq_s) != 2)
                die("expected.txt:%d: bad frame line", line);
            hex = strchr(p + 6, ' ');
            hex = hex ? strchr(hex + 1, ' ') : NULL;
            if (hex == NULL)
                die("expected.txt:%d: frame line without payload", line);
            t = strtoul(type_s, &end, 16);
            if (*end || t > 255 || strlen(type_s) != 2)
                die("expected.txt:%d: bad type", line);
            s = strtoul(seq_s, &end, 10);
            if (*end || s > 65535)
                die("expected.txt:%d: bad seq", line);
            cur->frames = xrealloc(cur->frames, (cur->nframes + 1) * sizeof *cur->frames);
            f = &cur->frames[cur->nframes++];
            memset(f, 0, sizeof *f);
            f->type = (uint8_t)t;
            f->seq = (uint16_t)s;
            f->payload = parse_hex(hex + 1, &f->len, line);
        } else if (strncmp(p, "field ", 6) == 0) {
            exp_frame *f;
            if (cur->nframes == 0 || strchr(p + 6, '=') == NULL)
                die("expected.txt:%d: field line without a frame or '='", line);
            f = &cur->frames[cur->nframes - 1];
            f->fields = xrealloc(f->fields, (f->nfields + 1) * sizeof *f->fields);
            f->fields[f->nfields++] = xstrdup(p + 6);
        } else if (strncmp(p, "counters ", 9) == 0) {
            char *tok = p + 9;
            int i;
            for (i = 0; i < NCOUNTERS; i++) {
                size_t kl = strlen(counter_names[i]);
                char *end;
                if (strncmp(tok, counter_names[i], kl) != 0 || tok[kl] != '=')
                    die("expected.txt:%d: counters: expected '%s=' at '%s'", line, counter_names[i], tok);
                cur->counters[i] = strtoul(tok + kl + 1, &end, 10);
                if (i < NCOUNTERS - 1 && *end != ' ')
                    die("expected.txt:%d: counters: bad value for %s", line, counter_names[i]);
                if (i == NCOUNTERS - 1 && *end != 0)
                    die("expected.txt:%d: counters: trailing text", line);
                tok = end + 1;
            }
            cur->have_counters = 1;
        } else if (strcmp(p, "end") == 0) {
            if (!cur->have_counters)
                die("expected.txt:%d: block without counters", line);
            cur = NULL;
        } else {
            die("expected.txt:%d: unknown line: %s", line, p);
        }
        p = next;
    }
    if (cur != NULL)
        die("expected.txt: last block has no 'end'");
    *nvec = n;
    return vs;
}

/* ------------------------------------------------------------------------------------------------------------------
 * Decoding a vector
 * ------------------------------------------------------------------------------------------------------------------ */

typedef struct {
    uint8_t type;
    uint16_t seq;
    uint8_t *payload;
    size_t len;
    size_t start, end; /* byte mode only: the collection [start, end) including its delimiter */
} got_frame;

typedef struct {
    got_frame *frames;
    size_t n;
    size_t pos, last_delim_end; /* byte mode bookkeeping */
} got_list;

static void got_add(got_list *g, const gp_frame *f)
{
    got_frame *x;
    g->frames = xrealloc(g->frames, (g->n + 1) * sizeof *g->frames);
    x = &g->frames[g->n++];
    x->type = f->type;
    x->seq = f->seq;
    x->len = f->length;
    x->payload = xmalloc(f->length);
    memcpy(x->payload, f->payload, f->length);
    x->start = g->last_delim_end;
    x->end = g->pos + 1;
    check(f->known == gp_type_known(f->type), "gp_frame.known");
}

static void on_frame(void *ctx, const gp_frame *f) { got_add((got_list *)ctx, f); }

static void got_free(got_list *g)
{
    size_t i;
    for (i = 0; i < g->n; i++)
        free(g->frames[i].payload);
    free(g->frames);
    memset(g, 0, sizeof *g);
}

enum { MODE_ALL, MODE_BYTE, MODE_CHUNK, NMODES };
static const char *const mode_names[NMODES] = {"all-at-once", "byte-at-a-time", "random-chunks"};

static void decode_vector(const uint8_t *data, size_t len, int mode, got_list *g, gp_counters *c)
{
    static gp_decoder d; /* 2 KB: static keeps the test's stack small, like firmware would */
    size_t i;
    gp_decoder_reset(&d);
    memset(g, 0, sizeof *g);
    if (mode == MODE_ALL) {
        size_t nf = gp_decoder_feed(&d, data, len, on_frame, g);
        check(nf == g->n, "gp_decoder_feed return value");
    } else if (mode == MODE_BYTE) {
        for (i = 0; i < len; i++) {
            gp_frame f;
            g->pos = i;
            if (gp_decoder_put(&d, data[i], &f))
                got_add(g, &f);
            if (data[i] == 0)
                g->last_delim_end = i + 1;
        }
    } else {
        i = 0;
        while (i < len) {
            size_t k = rng_next() % 301u; /* 0..300, zero-length chunks included */
            if (k > len - i)
                k = len - i;
            gp_decoder_feed(&d, data + i, k, on_frame, g);
            i += k;
        }
    }
    gp_decoder_finish(&d);
    *c = d.counters;
}

/* ------------------------------------------------------------------------------------------------------------------
 * Payload fields as "name=value" lines, from the unpack helpers (compared with the manifest's field lines)
 * ------------------------------------------------------------------------------------------------------------------ */

typedef struct {
    char **v;
    size_t n;
} strlist;

static void sl_add(strlist *l, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = xstrdup(buf);
}

static void sl_free(strlist *l)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

#define ULL(x) ((unsigned long long)(x))

static void samples_fields(strlist *l, const char *prefix, const uint8_t *s, size_t count, size_t ch)
{
    size_t i, k;
    for (i = 0; i < count; i++) {
        char buf[128];
        size_t w = 0;
        for (k = 0; k < ch; k++)
            w += (size_t)snprintf(buf + w, sizeof buf - w, "%s%d", k ? "," : "", gp_sample_at(s, i * ch + k));
        sl_add(l, "%s.sample[%lu]=%s", prefix, (unsigned long)i, buf);
    }
}

/* Returns the unpack result; fills l on success. */
static int payload_fields(uint8_t type, const uint8_t *p, size_t len, strlist *l)
{
    int rc = GP_ERR_VALUE;
    switch (type) {
    case GP_T_DEVICE_INFO: {
        gp_device_info v;
        rc = gp_unpack_device_info(p, len, &v);
        if (rc == GP_OK) {
            sl_add(l, "info.protocol_version=%u", v.protocol_version);
            sl_add(l, "info.fw_major=%u", v.fw_major);
            sl_add(l, "info.fw_minor=%u", v.fw_minor);
            sl_add(l, "info.fw_patch=%u", v.fw_patch);
            sl_add(l, "info.hw_revision=%u", v.hw_revision);
            sl_add(l, "info.device_uid=%llu", ULL(v.device_uid));
            sl_add(l, "info.imu_rate_hz=%u", v.imu_rate_hz);
            sl_add(l, "info.acc_range_g=%u", v.acc_range_g);
            sl_add(l, "info.gyro_range_dps=%u", v.gyro_range_dps);
            sl_add(l, "info.audio_rate_hz=%lu", (unsigned long)v.audio_rate_hz);
            sl_add(l, "info.audio_bits=%u", v.audio_bits);
            sl_add(l, "info.axis_convention=%u", v.axis_convention);
            sl_add(l, "info.flags=%u", v.flags);
            sl_add(l, "info.serial_number=%.*s", (int)v.serial_number.len, v.serial_number.ptr);
            sl_add(l, "info.model=%.*s", (int)v.model.len, v.model.ptr);
            sl_add(l, "info.imu_model=%.*s", (int)v.imu_model.len, v.imu_model.ptr);
            sl_add(l, "info.mic_model=%.*s", (int)v.mic_model.len, v.mic_model.ptr);
        }
        break;
    }
    case GP_T_IMU_BLOCK: {
        gp_imu_block v;
        rc = gp_unpack_imu_block(p, len, &v);
        if (rc == GP_OK) {
            sl_add(l, "imu.t_first_us=%llu", ULL(v.t_first_us));
            sl_add(l, "imu.first_index=%lu", (unsigned long)v.first_index);
            sl_add(l, "imu.count=%u", v.count);
            sl_add(l, "imu.channels=%u", v.channels);
            samples_fields(l, "imu", v.samples_le, v.count, v.channels);
        }
        break;
    }
    case GP_T_AUDIO_BLOCK: {
        gp_audio_block v;
        rc = gp_unpack_audio_block(p, len, &v);
        if (rc == GP_OK) {
            sl_add(l, "audio.t_first_us=%llu", ULL(v.t_first_us));
            sl_add(l, "audio.first_index=%lu", (unsigned long)v.first_index);
            sl_add(l, "audio.count=%u", v.count);
            sl_add(l, "audio.format=%u", v.format);
            samples_fields(l, "audio", v.samples_le, v.count, 1);
        }
        break;
    }
    case GP_T_MARKER: {
        gp_marker v;
        rc = gp_unpack_marker(p, len, &v);
        if (rc == GP_OK) {
            sl_add(l, "marker.t_us=%llu", ULL(v.t_us));
            sl_add(l, "marker.kind=%u", v.kind);
            sl_add(l, "marker.marker_id=%u", v.marker_id);
        }
        break;
    }
    case GP_T_STATUS: {
        gp_status v;
        rc = gp_unpack_status(p, len, &v);
        if (rc == GP_OK) {
            sl_add(l, "status.t_us=%llu", ULL(v.t_us));
            sl_add(l, "status.battery_mv=%u", v.battery_mv);
            sl_add(l, "status.battery_percent=%u", v.battery_percent);
            sl_add(l, "status.flags=%u", v.flags);
            sl_add(l, "status.imu_dropped_total=%lu", (unsigned long)v.imu_dropped_total);
            sl_add(l, "status.audio_dropped_total=%lu", (unsigned long)v.audio_dropped_total);
            sl_add(l, "status.tx_frames_dropped_total=%lu", (unsigned long)v.tx_frames_dropped_total);
            sl_add(l, "status.temperature_cdeg=%d", v.temperature_cdeg);
        }
        break;
    }
    case GP_T_PONG: {
        gp_pong v;
        rc = gp_unpack_pong(p, len, &v);
        if (rc == GP_OK) {
            sl_add(l, "pong.token=%lu", (unsigned long)v.token);
            sl_add(l, "pong.host_time_us=%llu", ULL(v.host_time_us));
            sl_add(l, "pong.device_rx_us=%llu", ULL(v.device_rx_us));
            sl_add(l, "pong.device_tx_us=%llu", ULL(v.device_tx_us));
        }
        break;
    }
    case GP_T_ACK: {
        gp_ack v;
        rc = gp_unpack_ack(p, len, &v);
        if (rc == GP_OK) {
            sl_add(l, "ack.command_type=%u", v.command_type);
            sl_add(l, "ack.result=%u", v.result);
            sl_add(l, "ack.command_seq=%u", v.command_seq);
        }
        break;
    }
    case GP_T_CONFIGURE: {
        gp_configure v;
        rc = gp_unpack_configure(p, len, &v);
        if (rc == GP_OK) {
            sl_add(l, "configure.imu_rate_hz=%u", v.imu_rate_hz);
            sl_add(l, "configure.acc_range_g=%u", v.acc_range_g);
            sl_add(l, "configure.gyro_range_dps=%u", v.gyro_range_dps);
            sl_add(l, "configure.audio_rate_hz=%lu", (unsigned long)v.audio_rate_hz);
        }
        break;
    }
    case GP_T_PING: {
        gp_ping v;
        rc = gp_unpack_ping(p, len, &v);
        if (rc == GP_OK) {
            sl_add(l, "ping.token=%lu", (unsigned long)v.token);
            sl_add(l, "ping.host_time_us=%llu", ULL(v.host_time_us));
        }
        break;
    }
    case GP_T_GET_INFO:
    case GP_T_START:
    case GP_T_STOP:
        rc = GP_OK; /* no payload fields */
        break;
    default:
        break;
    }
    return rc;
}

static void check_fields(const exp_vector *v, size_t fi, const exp_frame *ef)
{
    strlist got = {NULL, 0};
    size_t i, j;
    int rc;
    if (ef->nfields == 0)
        return;
    rc = payload_fields(ef->type, ef->payload, ef->len, &got);
    if (!check(rc == GP_OK, "%s frame %lu: unpack of type 0x%02x failed (%d)", v->file, (unsigned long)fi, ef->type,
               rc))
        return;
    check(got.n == ef->nfields, "%s frame %lu: %lu field lines expected, unpack gives %lu", v->file,
          (unsigned long)fi, (unsigned long)ef->nfields, (unsigned long)got.n);
    for (i = 0; i < ef->nfields; i++) {
        const char *want = ef->fields[i];
        size_t name_len = (size_t)(strchr(want, '=') - want);
        const char *found = NULL;
        for (j = 0; j < got.n; j++) {
            if (strncmp(got.v[j], want, name_len + 1) == 0) {
                found = got.v[j];
                break;
            }
        }
        if (check(found != NULL, "%s frame %lu: no field %.*s from unpack", v->file, (unsigned long)fi,
                  (int)name_len, want))
            check(strcmp(found, want) == 0, "%s frame %lu: field %s, unpack gives %s", v->file, (unsigned long)fi,
                  want, found);
    }
    sl_free(&got);
}

/* ------------------------------------------------------------------------------------------------------------------
 * Vector checks
 * ------------------------------------------------------------------------------------------------------------------ */

static void run_vector(const char *dir, const exp_vector *v)
{
    char path[4096];
    size_t len, i, k;
    uint8_t *data;
    int mode;

    snprintf(path, sizeof path, "%s/%s", dir, v->file);
    data = read_file(path, &len);

    for (mode = 0; mode < NMODES; mode++) {
        got_list g;
        gp_counters c;
        unsigned long cv[NCOUNTERS];
        decode_vector(data, len, mode, &g, &c);
        counters_to_array(&c, cv);
        for (k = 0; k < NCOUNTERS; k++)
            check(cv[k] == v->counters[k], "%s [%s]: %s = %lu, expected %lu", v->file, mode_names[mode],
                  counter_names[k], cv[k], v->counters[k]);
        if (check(g.n == v->nframes, "%s [%s]: %lu good frames, expected %lu", v->file, mode_names[mode],
                  (unsigned long)g.n, (unsigned long)v->nframes)) {
            for (i = 0; i < g.n; i++) {
                const got_frame *gf = &g.frames[i];
                const exp_frame *ef = &v->frames[i];
                check(gf->type == ef->type && gf->seq == ef->seq && gf->len == ef->len &&
                          memcmp(gf->payload, ef->payload, ef->len) == 0,
                      "%s [%s]: frame %lu: got type %02x seq %u len %lu, expected type %02x seq %u len %lu%s",
                      v->file, mode_names[mode], (unsigned long)i, gf->type, gf->seq, (unsigned long)gf->len,
                      ef->type, ef->seq, (unsigned long)ef->len,
                      (gf->len == ef->len && gf->type == ef->type && gf->seq == ef->seq) ? " (payload differs)"
                                                                                         : "");
                if (mode == MODE_BYTE && !v->noncanonical) {
                    /* Re-encoding the frame must give exactly the bytes it was decoded from. */
                    uint8_t enc[GP_MAX_WIRE];
                    size_t n = gp_encode_frame(gf->type, gf->seq, gf->payload, gf->len, enc, sizeof enc);
                    check(n == gf->end - gf->start && memcmp(enc, data + gf->start, n) == 0,
                          "%s: frame %lu: gp_encode_frame gives %lu bytes that differ from the vector's %lu", v->file,
                          (unsigned long)i, (unsigned long)n, (unsigned long)(gf->end - gf->start));
                }
            }
        }
        got_free(&g);
    }
    for (i = 0; i < v->nframes; i++)
        check_fields(v, i, &v->frames[i]);
    free(data);
}

/* ------------------------------------------------------------------------------------------------------------------
 * Unit checks
 * ------------------------------------------------------------------------------------------------------------------ */

static uint32_t crc_bitwise(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    size_t i;
    int k;
    for (i = 0; i < n; i++) {
        c ^= p[i];
        for (k = 0; k < 8; k++)
            c = (c & 1u) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

static void test_crc(void)
{
    const uint8_t *check_str = (const uint8_t *)"123456789";
    uint8_t buf[512];
    size_t i;
    int ok = 1;
    check(gp_crc32(check_str, 9) == 0xCBF43926u, "CRC check value: got %08lx", (unsigned long)gp_crc32(check_str, 9));
    check(gp_crc32(NULL, 0) == 0, "CRC of nothing is 0");
    for (i = 0; i <= 9; i++)
        ok &= gp_crc32_update(gp_crc32_update(0, check_str, i), check_str + i, 9 - i) == 0xCBF43926u;
    check(ok, "incremental CRC, every split of '123456789'");
    ok = 1;
    for (i = 0; i < 256; i++) { /* every table entry */
        uint8_t b = (uint8_t)i;
        ok &= gp_crc32(&b, 1) == crc_bitwise(&b, 1);
    }
    check(ok, "CRC of every single byte equals the bitwise reference");
    for (i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)rng_next();
    check(gp_crc32(buf, sizeof buf) == crc_bitwise(buf, sizeof buf), "CRC of 512 random bytes");
}

static void test_cobs_case(const char *name, const uint8_t *raw, size_t raw_len, const uint8_t *enc, size_t enc_len)
{
    uint8_t out[600], dec[600];
    size_t n, dn = 0;
    n = gp_cobs_encode(raw, raw_len, out, sizeof out);
    check(n == enc_len && memcmp(out, enc, enc_len) == 0, "COBS encode %s: got %lu bytes", name, (unsigned long)n);
    check(gp_cobs_decode(enc, enc_len, dec, sizeof dec, &dn) == GP_OK && dn == raw_len && memcmp(dec, raw, dn) == 0,
          "COBS decode %s", name);
    check(gp_cobs_encode(raw, raw_len, out, enc_len - 1) == 0, "COBS encode %s: one byte too little room -> 0", name);
    memcpy(dec, enc, enc_len); /* in place */
    check(gp_cobs_decode(dec, enc_len, dec, enc_len, &dn) == GP_OK && dn == raw_len && memcmp(dec, raw, dn) == 0,
          "COBS decode %s in place", name);
}

static void test_cobs(void)
{
    /* Known answers (Cheshire & Baker; the usual published examples). */
    static const uint8_t r1[] = {0x00}, e1[] = {0x01, 0x01};
    static const uint8_t r2[] = {0x00, 0x00}, e2[] = {0x01, 0x01, 0x01};
    static const uint8_t r3[] = {0x00, 0x11, 0x00}, e3[] = {0x01, 0x02, 0x11, 0x01};
    static const uint8_t r4[] = {0x11, 0x22, 0x00, 0x33}, e4[] = {0x03, 0x11, 0x22, 0x02, 0x33};
    static const uint8_t r5[] = {0x11, 0x22, 0x33, 0x44}, e5[] = {0x05, 0x11, 0x22, 0x33, 0x44};
    static const uint8_t r6[] = {0x11, 0x00, 0x00, 0x00}, e6[] = {0x02, 0x11, 0x01, 0x01, 0x01};
    static const uint8_t e0[] = {0x01};
    uint8_t raw[300], enc[300];
    size_t i, n = 0;

    test_cobs_case("empty", r1, 0, e0, 1);
    test_cobs_case("00", r1, sizeof r1, e1, sizeof e1);
    test_cobs_case("00 00", r2, sizeof r2, e2, sizeof e2);
    test_cobs_case("00 11 00", r3, sizeof r3, e3, sizeof e3);
    test_cobs_case("11 22 00 33", r4, sizeof r4, e4, sizeof e4);
    test_cobs_case("11 22 33 44", r5, sizeof r5, e5, sizeof e5);
    test_cobs_case("11 00 00 00", r6, sizeof r6, e6, sizeof e6);

    /* 01..FE (254 bytes) -> FF 01..FE: canonical, no trailing 0x01 */
    for (i = 0; i < 254; i++)
        raw[i] = (uint8_t)(i + 1);
    enc[0] = 0xFF;
    memcpy(enc + 1, raw, 254);
    test_cobs_case("01..FE", raw, 254, enc, 255);
    /* 00 01..FE -> 01 FF 01..FE */
    raw[0] = 0;
    for (i = 0; i < 254; i++)
        raw[i + 1] = (uint8_t)(i + 1);
    enc[0] = 0x01;
    enc[1] = 0xFF;
    memcpy(enc + 2, raw + 1, 254);
    test_cobs_case("00 01..FE", raw, 255, enc, 256);
    /* 01..FF (255 bytes) -> FF 01..FE 02 FF */
    for (i = 0; i < 255; i++)
        raw[i] = (uint8_t)(i + 1);
    enc[0] = 0xFF;
    memcpy(enc + 1, raw, 254);
    enc[255] = 0x02;
    enc[256] = 0xFF;
    test_cobs_case("01..FF", raw, 255, enc, 257);
    /* 02..FF 00 (255 bytes) -> FF 02..FF 01 01 */
    for (i = 0; i < 254; i++)
        raw[i] = (uint8_t)(i + 2);
    raw[254] = 0;
    enc[0] = 0xFF;
    memcpy(enc + 1, raw, 254);
    enc[255] = 0x01;
    enc[256] = 0x01;
    test_cobs_case("02..FF 00", raw, 255, enc, 257);
    /* 03..FF 00 01 -> FE 03..FF 02 01 */
    for (i = 0; i < 253; i++)
        raw[i] = (uint8_t)(i + 3);
    raw[253] = 0;
    raw[254] = 1;
    enc[0] = 0xFE;
    memcpy(enc + 1, raw, 253);
    enc[254] = 0x02;
    enc[255] = 0x01;
    test_cobs_case("03..FF 00 01", raw, 255, enc, 256);

    /* The longer, non-canonical form FF <254> 01 decodes to the same 254 bytes. */
    for (i = 0; i < 254; i++)
        raw[i] = (uint8_t)(i + 1);
    enc[0] = 0xFF;
    memcpy(enc + 1, raw, 254);
    enc[255] = 0x01;
    check(gp_cobs_decode(enc, 256, enc, 256, &n) == GP_OK && n == 254 && memcmp(enc, raw, 254) == 0,
          "COBS decode accepts a trailing 0x01 after a final 0xFF block");

    /* Failures */
    enc[0] = 0x03;
    enc[1] = 0x11;
    check(gp_cobs_decode(enc, 2, raw, sizeof raw, &n) == GP_ERR_COBS, "COBS decode: code points past the end");
    enc[0] = 0x02;
    enc[1] = 0x00;
    check(gp_cobs_decode(enc, 2, raw, sizeof raw, &n) == GP_ERR_COBS, "COBS decode: 0x00 inside");
    check(gp_cobs_decode(enc, 0, raw, sizeof raw, &n) == GP_OK && n == 0, "COBS decode of nothing is nothing");
}

/* Encode a payload as a frame, decode it with a fresh decoder, return the payload length (payload copied to out). */
static size_t through_wire(uint8_t type, uint16_t seq, const uint8_t *payload, size_t len, uint8_t *out)
{
    static gp_decoder d;
    uint8_t wire[GP_MAX_WIRE];
    size_t n, i, got = 0;
    int frames = 0;
    gp_frame f;
    n = gp_encode_frame(type, seq, payload, len, wire, sizeof wire);
    check(n > 0 && n <= GP_WIRE_BOUND(len), "encode type %02x len %lu", type, (unsigned long)len);
    gp_decoder_reset(&d);
    for (i = 0; i < n; i++) {
        if (gp_decoder_put(&d, wire[i], &f)) {
            frames++;
            check(f.type == type && f.seq == seq && f.length == len, "round trip header type %02x", type);
            memcpy(out, f.payload, f.length);
            got = f.length;
        }
    }
    check(frames == 1 && d.counters.frames == 1 && d.counters.discarded_bytes == 0, "round trip type %02x: one frame",
          type);
    return got;
}

#define EQ(field) ok &= (a.field == b.field)

static void test_payloads(void)
{
    uint8_t buf[GP_MAX_PAYLOAD + 8], back[GP_MAX_PAYLOAD];
    size_t n, m, i;
    int ok;

    { /* DEVICE_INFO */
        gp_device_info a, b;
        memset(&a, 0, sizeof a);
        a.protocol_version = 1;
        a.fw_major = 2;
        a.fw_minor = 3;
        a.fw_patch = 4;
        a.hw_revision = 0xBEEF;
        a.device_uid = 0x8877665544332211ull;
        a.imu_rate_hz = 400;
        a.acc_range_g = 16;
        a.gyro_range_dps = 2000;
        a.audio_rate_hz = 16000;
        a.audio_bits = 16;
        a.axis_convention = 0;
        a.flags = 1;
        a.serial_number.ptr = "GP-999999";
        a.serial_number.len = 9;
        a.model.ptr = "";
        a.model.len = 0;
        a.imu_model.ptr = "BMI270 \xc2\xb5"; /* UTF-8 passes through as bytes */
        a.imu_model.len = 9;
        a.mic_model.ptr = "x";
        a.mic_model.len = 1;
        n = gp_pack_device_info(&a, buf, sizeof buf);
        check(n == GP_DEVICE_INFO_MIN + 9 + 0 + 9 + 1, "pack DEVICE_INFO length");
        m = through_wire(GP_T_DEVICE_INFO, 1, buf, n, back);
        check(gp_unpack_device_info(back, m, &b) == GP_OK, "unpack DEVICE_INFO");
        ok = 1;
        EQ(protocol_version), EQ(fw_major), EQ(fw_minor), EQ(fw_patch), EQ(hw_revision), EQ(device_uid);
        EQ(imu_rate_hz), EQ(acc_range_g), EQ(gyro_range_dps), EQ(audio_rate_hz), EQ(audio_bits);
        EQ(axis_convention), EQ(flags);
        ok &= b.serial_number.len == 9 && memcmp(b.serial_number.ptr, "GP-999999", 9) == 0;
        ok &= b.model.len == 0;
        ok &= b.imu_model.len == 9 && memcmp(b.imu_model.ptr, a.imu_model.ptr, 9) == 0;
        ok &= b.mic_model.len == 1 && b.mic_model.ptr[0] == 'x';
        check(ok, "DEVICE_INFO round trip fields");
        ok = 1;
        for (i = 0; i < m; i++)
            ok &= gp_unpack_device_info(back, i, &b) == GP_ERR_SHORT;
        check(ok, "DEVICE_INFO: every shortened payload -> GP_ERR_SHORT");
        back[m] = 0xAB; /* trailing bytes are ignored (room for later fields) */
        check(gp_unpack_device_info(back, m + 1, &b) == GP_OK, "DEVICE_INFO: trailing byte ignored");
        {
            char s[256];
            check(gp_str_copy(b.serial_number, s, sizeof s) == 9 && strcmp(s, "GP-999999") == 0, "gp_str_copy");
            check(gp_str_copy(b.serial_number, s, 4) == 3 && strcmp(s, "GP-") == 0, "gp_str_copy cuts");
        }
        a.model.len = 256;
        a.model.ptr = (const char *)buf;
        check(gp_pack_device_info(&a, back, sizeof back) == 0, "pack DEVICE_INFO: string of 256 bytes -> 0");
        a.model.len = 0;
        ok = 1;
        for (i = 0; i < n; i++)
            ok &= gp_pack_device_info(&a, back, i) == 0;
        check(ok, "pack DEVICE_INFO: too little room -> 0");
    }
    { /* IMU_BLOCK, 3 and 6 channels, including the largest */
        static int16_t s[GP_IMU_MAX_SAMPLES_3CH * 3];
        int ch;
        for (i = 0; i < sizeof s / sizeof s[0]; i++)
            s[i] = (int16_t)((int32_t)(rng_next() & 0xFFFFu) - 32768);
        s[0] = -32768;
        s[1] = 32767;
        for (ch = 3; ch <= 6; ch += 3) {
            gp_imu_block a, b;
            size_t counts[3];
            int ci;
            counts[0] = 1;
            counts[1] = 10;
            counts[2] = ch == 3 ? GP_IMU_MAX_SAMPLES_3CH : GP_IMU_MAX_SAMPLES_6CH;
            for (ci = 0; ci < 3; ci++) {
                memset(&a, 0, sizeof a);
                a.t_first_us = 0xFEDCBA9876543210ull;
                a.first_index = 0xFFFFFFF0u;
                a.count = (uint16_t)counts[ci];
                a.channels = (uint8_t)ch;
                n = gp_pack_imu_block(&a, s, buf, sizeof buf);
                check(n == GP_IMU_HEADER + counts[ci] * (size_t)ch * 2, "pack IMU %dch x %lu", ch,
                      (unsigned long)counts[ci]);
                m = through_wire(GP_T_IMU_BLOCK, 2, buf, n, back);
                check(gp_unpack_imu_block(back, m, &b) == GP_OK, "unpack IMU %dch", ch);
                ok = 1;
                EQ(t_first_us), EQ(first_index), EQ(count), EQ(channels);
                for (i = 0; i < counts[ci] * (size_t)ch; i++)
                    ok &= gp_sample_at(b.samples_le, i) == s[i];
                check(ok, "IMU %dch x %lu round trip", ch, (unsigned long)counts[ci]);
                ok = 1;
                for (i = 0; i < m; i++)
                    ok &= gp_unpack_imu_block(back, i, &b) == GP_ERR_SHORT;
                check(ok, "IMU %dch x %lu: every shortened payload -> GP_ERR_SHORT", ch, (unsigned long)counts[ci]);
            }
            a.count = (uint16_t)(counts[2] + 1);
            check(gp_pack_imu_block(&a, s, buf, sizeof buf) == 0, "pack IMU %dch: one sample too many -> 0", ch);
        }
        {
            gp_imu_block a, b;
            memset(&a, 0, sizeof a);
            a.count = 1;
            a.channels = 4;
            check(gp_pack_imu_block(&a, s, buf, sizeof buf) == 0, "pack IMU: 4 channels -> 0");
            a.channels = 3;
            n = gp_pack_imu_block(&a, s, buf, sizeof buf);
            buf[14] = 4;
            check(gp_unpack_imu_block(buf, n, &b) == GP_ERR_VALUE, "unpack IMU: channels 4 -> GP_ERR_VALUE");
            buf[14] = 3;
            buf[12] = 0;
            check(gp_unpack_imu_block(buf, n, &b) == GP_ERR_VALUE, "unpack IMU: count 0 -> GP_ERR_VALUE");
        }
    }
    { /* AUDIO_BLOCK up to the maximum */
        static int16_t s[GP_AUDIO_MAX_SAMPLES];
        gp_audio_block a, b;
        size_t counts[3] = {1, 160, GP_AUDIO_MAX_SAMPLES};
        int ci;
        for (i = 0; i < GP_AUDIO_MAX_SAMPLES; i++)
            s[i] = (int16_t)((int32_t)(rng_next() & 0xFFFFu) - 32768);
        for (ci = 0; ci < 3; ci++) {
            memset(&a, 0, sizeof a);
            a.t_first_us = 123456789012345ull;
            a.first_index = 4000000000u;
            a.count = (uint16_t)counts[ci];
            a.format = GP_AUDIO_FORMAT_PCM16;
            n = gp_pack_audio_block(&a, s, buf, sizeof buf);
            check(n == GP_AUDIO_HEADER + 2 * counts[ci], "pack AUDIO x %lu", (unsigned long)counts[ci]);
            m = through_wire(GP_T_AUDIO_BLOCK, 3, buf, n, back);
            check(gp_unpack_audio_block(back, m, &b) == GP_OK, "unpack AUDIO");
            ok = 1;
            EQ(t_first_us), EQ(first_index), EQ(count), EQ(format);
            for (i = 0; i < counts[ci]; i++)
                ok &= gp_sample_at(b.samples_le, i) == s[i];
            check(ok, "AUDIO x %lu round trip", (unsigned long)counts[ci]);
            ok = 1;
            for (i = 0; i < m; i++)
                ok &= gp_unpack_audio_block(back, i, &b) == GP_ERR_SHORT;
            check(ok, "AUDIO x %lu: every shortened payload -> GP_ERR_SHORT", (unsigned long)counts[ci]);
        }
        check(n == GP_MAX_PAYLOAD, "AUDIO x 1016 is exactly GP_MAX_PAYLOAD");
        a.count = GP_AUDIO_MAX_SAMPLES + 1;
        check(gp_pack_audio_block(&a, s, buf, sizeof buf) == 0, "pack AUDIO: 1017 samples -> 0");
        a.count = 1;
        n = gp_pack_audio_block(&a, s, buf, sizeof buf);
        buf[14] = 2;
        check(gp_unpack_audio_block(buf, n, &b) == GP_ERR_VALUE, "unpack AUDIO: format 2 -> GP_ERR_VALUE");
    }

/* Fixed-size payloads: pack, wire, unpack, compare; every shorter length is GP_ERR_SHORT; too little room -> 0. */
#define FIXED_CASE(T, TYPE, SIZE, FILL, CMP)                                                                        \
    do {                                                                                                            \
        gp_##T a, b;                                                                                                \
        memset(&a, 0, sizeof a);                                                                                    \
        FILL;                                                                                                       \
        n = gp_pack_##T(&a, buf, sizeof buf);                                                                       \
        check(n == SIZE, "pack " #T " length %lu", (unsigned long)n);                                               \
        m = through_wire(TYPE, 7, buf, n, back);                                                                    \
        check(gp_unpack_##T(back, m, &b) == GP_OK, "unpack " #T);                                                   \
        ok = 1;                                                                                                     \
        CMP;                                                                                                        \
        check(ok, #T " round trip fields");                                                                         \
        ok = 1;                                                                                                     \
        for (i = 0; i < SIZE; i++)                                                                                  \
            ok &= gp_unpack_##T(back, i, &b) == GP_ERR_SHORT;                                                       \
        check(ok, #T ": every shortened payload -> GP_ERR_SHORT");                                                  \
        check(gp_unpack_##T(back, SIZE + 1, &b) == GP_OK, #T ": a trailing byte is ignored");                       \
        ok = 1;                                                                                                     \
        for (i = 0; i < SIZE; i++)                                                                                  \
            ok &= gp_pack_##T(&a, buf, i) == 0;                                                                     \
        check(ok, "pack " #T ": too little room -> 0");                                                             \
        check(gp_unpack_##T(back, SIZE, NULL) == GP_ERR_ARG, #T ": NULL output -> GP_ERR_ARG");                     \
    } while (0)

    FIXED_CASE(marker, GP_T_MARKER, GP_MARKER_SIZE,
               (a.t_us = 0x0102030405060708ull, a.kind = GP_MARKER_NOTE, a.marker_id = 0xFFFE),
               (EQ(t_us), EQ(kind), EQ(marker_id)));
    FIXED_CASE(status, GP_T_STATUS, GP_STATUS_SIZE,
               (a.t_us = 99, a.battery_mv = 4200, a.battery_percent = GP_BATTERY_PERCENT_UNKNOWN, a.flags = 0x0F,
                a.imu_dropped_total = 0xFFFFFFFFu, a.audio_dropped_total = 1, a.tx_frames_dropped_total = 0x80000000u,
                a.temperature_cdeg = GP_TEMPERATURE_UNKNOWN),
               (EQ(t_us), EQ(battery_mv), EQ(battery_percent), EQ(flags), EQ(imu_dropped_total),
                EQ(audio_dropped_total), EQ(tx_frames_dropped_total), EQ(temperature_cdeg)));
    FIXED_CASE(pong, GP_T_PONG, GP_PONG_SIZE,
               (a.token = 0xDEADBEEFu, a.host_time_us = 0xFFFFFFFFFFFFFFFFull, a.device_rx_us = 1,
                a.device_tx_us = 0x8000000000000000ull),
               (EQ(token), EQ(host_time_us), EQ(device_rx_us), EQ(device_tx_us)));
    FIXED_CASE(ack, GP_T_ACK, GP_ACK_SIZE, (a.command_type = GP_T_CONFIGURE, a.result = GP_ACK_BUSY, a.command_seq = 65535),
               (EQ(command_type), EQ(result), EQ(command_seq)));
    FIXED_CASE(configure, GP_T_CONFIGURE, GP_CONFIGURE_SIZE,
               (a.imu_rate_hz = 400, a.acc_range_g = 2, a.gyro_range_dps = GP_GYRO_DISABLE, a.audio_rate_hz = 48000),
               (EQ(imu_rate_hz), EQ(acc_range_g), EQ(gyro_range_dps), EQ(audio_rate_hz)));
    FIXED_CASE(ping, GP_T_PING, GP_PING_SIZE, (a.token = 1, a.host_time_us = 1732540000123456ull),
               (EQ(token), EQ(host_time_us)));

    /* Empty-payload commands */
    check(through_wire(GP_T_GET_INFO, 0, NULL, 0, back) == 0, "GET_INFO round trip");
    check(through_wire(GP_T_START, 65535, NULL, 0, back) == 0, "START round trip");
    check(through_wire(GP_T_STOP, 1, NULL, 0, back) == 0, "STOP round trip");
}

static void test_encoder_limits(void)
{
    static uint8_t payload[GP_MAX_PAYLOAD + 1];
    uint8_t out[GP_MAX_WIRE + 16];
    size_t i, n, need;
    int ok = 1;
    for (i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)(i % 255 + 1); /* no zeros: the worst case for COBS */
    n = gp_encode_frame(0x42, 0x1111, payload, GP_MAX_PAYLOAD, out, sizeof out);
    check(n > GP_MAX_RAW && n <= GP_MAX_WIRE && GP_WIRE_BOUND(GP_MAX_PAYLOAD) == GP_MAX_WIRE,
          "largest frame fits GP_MAX_WIRE (%lu)", (unsigned long)n);
    check(gp_encode_frame(0x42, 0, payload, GP_MAX_PAYLOAD + 1, out, sizeof out) == 0, "payload 2049 -> 0");
    check(gp_encode_frame(0x42, 0, NULL, 5, out, sizeof out) == 0, "NULL payload with length -> 0");
    need = gp_encode_frame(GP_T_MARKER, 9, payload, 300, out, sizeof out);
    for (i = 0; i < need; i++) {
        memset(out, 0xEE, sizeof out);
        ok &= gp_encode_frame(GP_T_MARKER, 9, payload, 300, out, i) == 0 && out[i] == 0xEE;
    }
    check(ok, "encode with every too-small capacity -> 0, never writes past it");
    check(gp_encode_frame(GP_T_MARKER, 9, payload, 300, out, need) == need && out[need - 1] == 0,
          "encode with exact capacity ends with 0x00");
}

static void test_decoder_lifecycle(void)
{
    static gp_decoder d;
    uint8_t wire[64];
    uint8_t pl[12] = {1, 2, 3, 4, 5, 6, 7, 8, 1, 0, 5, 0};
    size_t n = gp_encode_frame(GP_T_MARKER, 10, pl, sizeof pl, wire, sizeof wire), i;
    size_t m;
    gp_frame f;
    int got = 0;

    gp_decoder_reset(&d);
    gp_decoder_feed(&d, wire, n - 3, NULL, NULL); /* cut */
    gp_decoder_finish(&d);
    check(d.counters.truncated == 1 && d.counters.discarded_bytes == n - 3, "finish counts the partial frame");
    gp_decoder_finish(&d);
    check(d.counters.truncated == 1, "a second finish counts nothing");
    check(gp_decoder_feed(&d, wire, n, NULL, NULL) == 1, "feeding continues after finish");
    m = gp_encode_frame(GP_T_MARKER, 12, pl, sizeof pl, wire, sizeof wire);
    for (i = 0; i < m; i++)
        got += gp_decoder_put(&d, wire[i], &f);
    check(got == 1 && d.counters.seq_gaps == 1 && d.counters.lost_frames == 1,
          "sequence expectation survives finish (10 -> 12 is a gap)");
    gp_decoder_reset(&d);
    check(d.counters.frames == 0 && d.counters.truncated == 0 && d.n == 0, "reset clears counters");
    gp_decoder_feed(&d, wire, m, NULL, NULL);
    check(d.counters.frames == 1 && d.counters.seq_gaps == 0 && d.counters.seq_restarts == 0,
          "first frame after reset sets the expectation");
    check(f.payload != NULL, "payload pointer set");
    {
        uint8_t e[16];
        size_t k = gp_encode_frame(GP_T_STOP, 1, NULL, 0, e, sizeof e);
        gp_decoder_reset(&d);
        got = 0;
        for (i = 0; i < k; i++)
            got += gp_decoder_put(&d, e[i], &f);
        check(got == 1 && f.length == 0 && f.payload != NULL, "empty payload: length 0, pointer not NULL");
    }
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "vectors";
    char path[4096];
    size_t len, nvec, i;
    char *text;
    exp_vector *vs;

    test_crc();
    test_cobs();
    test_encoder_limits();
    test_decoder_lifecycle();
    test_payloads();

    snprintf(path, sizeof path, "%s/expected.txt", dir);
    text = (char *)read_file(path, &len);
    vs = parse_manifest(text, &nvec);
    check(nvec >= 30, "manifest lists %lu vectors", (unsigned long)nvec);
    for (i = 0; i < nvec; i++)
        run_vector(dir, &vs[i]);
    printf("%lu vectors, %d ways each\n", (unsigned long)nvec, NMODES);
    for (i = 0; i < nvec; i++) {
        size_t k, j;
        for (k = 0; k < vs[i].nframes; k++) {
            for (j = 0; j < vs[i].frames[k].nfields; j++)
                free(vs[i].frames[k].fields[j]);
            free(vs[i].frames[k].fields);
            free(vs[i].frames[k].payload);
        }
        free(vs[i].frames);
        free(vs[i].file);
    }
    free(vs);
    free(text);

    printf("%lu passed, %lu failed\n", g_pass, g_fail);
    return g_fail ? 1 : 0;
}
