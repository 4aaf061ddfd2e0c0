#ifndef TOKEN_WARDEN_JSONSCAN_H
#define TOKEN_WARDEN_JSONSCAN_H

#include <stddef.h>
#include <stdint.h>

/// The index of the first byte at or after `start` (and before `count`) that ends a run of plain
/// string content — a quote, a backslash or a control byte (< 0x20) — or `count` if there is none.
/// 16 bytes per step with SSE2 (x86-64), 8 per step otherwise.
size_t tw_json_string_stop(const uint8_t *bytes, size_t start, size_t count);

/// What `tw_json_skip_container` found wrong.
enum {
    TW_JSON_UNTERMINATED_STRING = -1,
    TW_JSON_CONTROL_CHARACTER = -2,
    TW_JSON_UNTERMINATED_CONTAINER = -3,
};

/// Skips the object or array whose opening bracket is at `start`: returns the index just past
/// its closing bracket, or a negative TW_JSON_* code with the offending offset in `*where` (a
/// string's opening quote, a control byte in a string, `count`). 64 bytes per step: bit masks of
/// quotes, backslashes, brackets and control bytes, strings found by a prefix XOR of the
/// unescaped quotes, then only brackets outside strings are visited. Like the Swift reader it
/// replaces, it validates no more than that: bracket kinds are not paired, and a backslash
/// escapes the next byte inside strings and out (outside, JSON has none).
long tw_json_skip_container(const uint8_t *bytes, size_t start, size_t count, size_t *where);

#endif
