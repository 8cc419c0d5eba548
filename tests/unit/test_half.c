/* test_half.c: float16 conversion against exhaustive round trips and an
 * independent reference (nearest of the two neighbouring halves, ties even). */
#include <math.h>
#include <string.h>

#include "check.h"
#include "core/half.h"

int main(void) {
    /* every finite half survives float and back */
    int bad = 0;
    for (uint32_t h = 0; h < 0x10000u; h++) {
        if ((h & 0x7C00u) == 0x7C00u) continue;
        bad += mf_f32_to_f16(mf_f16_to_f32((uint16_t)h)) != h;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(mf_f16_to_f32(0x3C00) == 1.0f);
    CHECK(mf_f16_to_f32(0xC000) == -2.0f);
    CHECK(mf_f16_to_f32(0x0001) == ldexpf(1.0f, -24));
    CHECK(mf_f16_to_f32(0x7BFF) == 65504.0f);
    CHECK_EQ_INT(mf_f32_to_f16(65520.0f), 0x7C00);      /* rounds to inf */
    CHECK_EQ_INT(mf_f32_to_f16(65519.0f), 0x7BFF);
    CHECK_EQ_INT(mf_f32_to_f16(1.0f + ldexpf(1, -11)), 0x3C00);  /* tie -> even */
    CHECK_EQ_INT(mf_f32_to_f16(1.0f + 3 * ldexpf(1, -11)), 0x3C02); /* tie -> even (up) */
    CHECK_EQ_INT(mf_f32_to_f16(ldexpf(1, -25)), 0x0000); /* tie with 0 -> even */
    CHECK_EQ_INT(mf_f32_to_f16(ldexpf(3, -26)), 0x0001);
    CHECK_EQ_INT(mf_f32_to_f16(-0.0f), 0x8000);
    CHECK_EQ_INT(mf_f32_to_f16(INFINITY), 0x7C00);
    CHECK((mf_f32_to_f16(NAN) & 0x7C00u) == 0x7C00u && (mf_f32_to_f16(NAN) & 0x3FFu));
    /* reference: for many floats, the result is the nearest half (ties even) */
    bad = 0;
    for (uint32_t i = 0; i < 2000000; i++) {
        uint32_t x = 0x30000000u + i * 1031u; /* spans subnormal halves to ~1e5 */
        float f;
        memcpy(&f, &x, 4);
        if (!(f < 65504.0f)) break;
        uint16_t h = mf_f32_to_f16(f);
        double v = mf_f16_to_f32(h), d = fabs(v - f);
        double lo = mf_f16_to_f32((uint16_t)(h - (h > 0))), hi = mf_f16_to_f32((uint16_t)(h + 1));
        if (fabs(lo - f) < d || fabs(hi - f) < d) bad++;
        if ((fabs(lo - f) == d && h != (h & ~1u) && lo != v) || (fabs(hi - f) == d && (h & 1u))) bad++;
    }
    CHECK_EQ_INT(bad, 0);
    return check_done();
}
