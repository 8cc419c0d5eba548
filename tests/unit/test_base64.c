/* test_base64.c: core/base64.h against RFC 4648's test vectors (section
 * 10) and every byte value (the length rule, the alphabet's ends). */
#include <string.h>

#include "check.h"
#include "core/base64.h"

int main(void) {
    static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    char buf[64];
    for (int i = 0; i < 7; i++) {
        size_t n = strlen(in[i]);
        CHECK_EQ_INT(mf_base64_len(n), strlen(out[i]));
        size_t got = mf_base64_encode((const uint8_t *)in[i], n, buf);
        CHECK_MSG(got == strlen(out[i]) && !strcmp(buf, out[i]), "'%s' -> '%s', expected '%s'", in[i], buf, out[i]);
    }
    uint8_t all[256];
    for (int i = 0; i < 256; i++) all[i] = (uint8_t)i;
    char big[400];
    CHECK_EQ_INT(mf_base64_encode(all, 256, big), 344);
    CHECK(!strncmp(big, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g", 44));
    CHECK(!strcmp(big + 332, "+fr7/P3+/w=="));
    const uint8_t ff[3] = {0xff, 0xff, 0xfe};
    mf_base64_encode(ff, 3, buf);
    CHECK(!strcmp(buf, "///+"));
    return check_done();
}
