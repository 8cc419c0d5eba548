/* base64.h: RFC 4648 base64 (standard alphabet, '=' padding, no line
 * breaks), for the report's embedded images (data: URIs). Pure. */
#ifndef MF_CORE_BASE64_H
#define MF_CORE_BASE64_H
#include <stddef.h>
#include <stdint.h>

/* Characters of the encoding of n bytes (without the terminating NUL). */
size_t mf_base64_len(size_t n);

/* Encodes src[0..n) into dst, which must hold mf_base64_len(n) + 1 chars;
 * NUL-terminates; returns the length. */
size_t mf_base64_encode(const uint8_t *src, size_t n, char *dst);

#endif
