#include "jsonscan.h"

#include <string.h>

// x86-64 always has SSE2; elsewhere (arm64 included) the portable word-at-a-time code runs.
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static inline int is_stop(uint8_t c) { return c == '"' || c == '\\' || c < 0x20; }

size_t tw_json_string_stop(const uint8_t *bytes, size_t start, size_t count) {
    size_t i = start;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i below = _mm_set1_epi8(0x1F);
    while (i + 16 <= count) {
        __m128i chunk = _mm_loadu_si128((const __m128i *)(bytes + i));
        // Unsigned c <= 0x1F: min(c, 0x1F) == c.
        __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(chunk, below), chunk);
        __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)), control);
        unsigned mask = (unsigned)_mm_movemask_epi8(hits);
        if (mask != 0) return i + (size_t)__builtin_ctz(mask);
        i += 16;
    }
#else
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    while (i + 8 <= count) {
        uint64_t word;
        memcpy(&word, bytes + i, 8);
        uint64_t q = word ^ (ones * '"'), b = word ^ (ones * '\\');
        uint64_t mask = (((q - ones) & ~q) | ((b - ones) & ~b) | ((word - ones * 0x20) & ~word)) & highs;
        if (mask != 0) break;  // the exact byte is found below
        i += 8;
    }
#endif
    while (i < count && !is_stop(bytes[i])) i++;
    return i;
}

/// One 64-byte block's bytes of interest, one bit per byte (bit i: byte i).
typedef struct {
    uint64_t quote, backslash, open, close, control;
} block_masks;

static inline block_masks masks_of(const uint8_t *p) {
    block_masks m = {0, 0, 0, 0, 0};
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    // Setting bit 0x20 maps '[' (0x5B) onto '{' (0x7B) and ']' (0x5D) onto '}' (0x7D), and no
    // other byte onto either.
    const __m128i lower = _mm_set1_epi8(0x20);
    const __m128i open = _mm_set1_epi8('{');
    const __m128i close = _mm_set1_epi8('}');
    const __m128i below = _mm_set1_epi8(0x1F);
    for (int k = 0; k < 4; k++) {
        __m128i chunk = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        __m128i folded = _mm_or_si128(chunk, lower);
        int shift = 16 * k;
        m.quote |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, quote)) << shift;
        m.backslash |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, backslash)) << shift;
        m.open |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(folded, open)) << shift;
        m.close |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(folded, close)) << shift;
        m.control |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(chunk, below), chunk)) << shift;
    }
#else
    for (int i = 0; i < 64; i++) {
        uint8_t c = p[i];
        uint64_t bit = (uint64_t)1 << i;
        if (c == '"') m.quote |= bit;
        else if (c == '\\') m.backslash |= bit;
        else if (c == '{' || c == '[') m.open |= bit;
        else if (c == '}' || c == ']') m.close |= bit;
        else if (c < 0x20) m.control |= bit;
    }
#endif
    return m;
}

/// Bit i of the result: the XOR of bits 0...i of x (1 inside a string, counting its opening quote).
static inline uint64_t prefix_xor(uint64_t x) {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

long tw_json_skip_container(const uint8_t *bytes, size_t start, size_t count, size_t *where) {
    size_t depth = 0;
    uint64_t in_string_carry = 0;  // all ones when the previous block ended inside a string
    int escape_carry = 0;          // the next block's first byte is escaped
    size_t last_opening_quote = start;
    uint8_t tail[64];
    for (size_t base = start; base < count; base += 64) {
        const uint8_t *p = bytes + base;
        if (count - base < 64) {
            memset(tail, ' ', sizeof tail);  // padding: nothing of interest
            memcpy(tail, p, count - base);
            p = tail;
        }
        block_masks m = masks_of(p);

        // A backslash escapes the next byte, unless it is escaped itself; runs of backslashes are
        // rare in pod JSON, so they are walked one by one.
        uint64_t escaped = 0;
        uint64_t backslashes = m.backslash;
        if (escape_carry) {
            escaped = 1;
            backslashes &= ~(uint64_t)1;
        }
        escape_carry = 0;
        while (backslashes != 0) {
            int i = __builtin_ctzll(backslashes);
            if (i == 63) {
                escape_carry = 1;
            } else {
                escaped |= (uint64_t)1 << (i + 1);
                backslashes &= ~((uint64_t)1 << (i + 1));
            }
            backslashes &= backslashes - 1;
        }

        uint64_t quotes = m.quote & ~escaped;
        uint64_t in_string = prefix_xor(quotes) ^ in_string_carry;
        in_string_carry = (uint64_t)0 - (in_string >> 63);
        uint64_t openings = quotes & in_string;
        if (openings != 0) last_opening_quote = base + 63 - (size_t)__builtin_clzll(openings);

        uint64_t outside = ~in_string & ~escaped;
        uint64_t opens = m.open & outside, closes = m.close & outside;
        uint64_t bad = m.control & in_string & ~escaped;
        uint64_t events = opens | closes | bad;
        while (events != 0) {
            int i = __builtin_ctzll(events);
            uint64_t bit = (uint64_t)1 << i;
            if (bad & bit) {
                *where = base + (size_t)i;
                return TW_JSON_CONTROL_CHARACTER;
            }
            if (opens & bit) {
                depth++;
            } else if (--depth == 0) {
                return (long)(base + (size_t)i + 1);
            }
            events &= events - 1;
        }
    }
    if (in_string_carry != 0) {
        *where = last_opening_quote;
        return TW_JSON_UNTERMINATED_STRING;
    }
    *where = count;
    return TW_JSON_UNTERMINATED_CONTAINER;
}
