/* sha256.h: SHA-256 (FIPS 180-4), the identity of every input file
 * (weights, stores) recorded in the outputs made from it. Pure: hashing of
 * memory; io/ feeds file bytes through it. */
#ifndef MF_CORE_SHA256_H
#define MF_CORE_SHA256_H
#include <stddef.h>
#include <stdint.h>

typedef struct mf_sha256 {
    uint32_t h[8];
    uint64_t len;        /* bytes hashed so far */
    uint8_t buf[64];     /* pending partial block */
    size_t nbuf;
} mf_sha256;

void mf_sha256_init(mf_sha256 *s);
void mf_sha256_update(mf_sha256 *s, const void *data, size_t n);
/* Finishes: 32-byte digest. */
void mf_sha256_final(mf_sha256 *s, uint8_t digest[32]);
/* Digest as 64 lowercase hex digits + NUL. */
void mf_sha256_hex(const uint8_t digest[32], char hex[65]);
/* One call: hex digest of n bytes. */
void mf_sha256_buf(const void *data, size_t n, char hex[65]);

#endif
