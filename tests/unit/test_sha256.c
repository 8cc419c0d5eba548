/* test_sha256.c: SHA-256 against the FIPS 180-4 / NIST vectors, and
 * incremental updates split at every offset giving the one-shot digest. */
#include <string.h>

#include "core/sha256.h"
#include "tests/check.h"

static int hex_is(const void *data, size_t n, const char *want) {
    char hex[65];
    mf_sha256_buf(data, n, hex);
    if (strcmp(hex, want)) fprintf(stderr, "sha256: got %s, expected %s\n", hex, want);
    return !strcmp(hex, want);
}

int main(void) {
    CHECK(hex_is("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    CHECK(hex_is("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"; /* 56 bytes: padding spills */
    CHECK(hex_is(two, strlen(two), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    const char *four = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    CHECK(hex_is(four, strlen(four), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"));
    /* One million 'a'. */
    static char mil[1000000];
    memset(mil, 'a', sizeof mil);
    CHECK(hex_is(mil, sizeof mil, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    /* Split updates agree with one shot. */
    unsigned char buf[300];
    for (int i = 0; i < 300; i++) buf[i] = (unsigned char)(i * 7 + 3);
    char one[65];
    mf_sha256_buf(buf, sizeof buf, one);
    int same = 1;
    for (size_t cut = 0; cut <= sizeof buf; cut++) {
        mf_sha256 s;
        uint8_t dg[32];
        char hex[65];
        mf_sha256_init(&s);
        mf_sha256_update(&s, buf, cut);
        mf_sha256_update(&s, buf + cut, 0);
        mf_sha256_update(&s, buf + cut, sizeof buf - cut);
        mf_sha256_final(&s, dg);
        mf_sha256_hex(dg, hex);
        same &= !strcmp(hex, one);
    }
    CHECK(same);
    return check_done();
}
