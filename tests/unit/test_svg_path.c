/* test_svg_path.c: core/svg_path.h and core/strbuf.h: the frame's mapping
 * (y up), round tick steps, the path texts of a polyline (NaN breaks it),
 * the PR steps and a band; the string buffer grows past its first block. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "core/strbuf.h"
#include "core/svg_path.h"

int main(void) {
    mf_frame f = {10, 20, 100, 50, 0, 1, 0, 1};
    CHECK(mf_frame_x(&f, 0) == 10 && mf_frame_x(&f, 1) == 110 && mf_frame_x(&f, 0.5) == 60);
    CHECK(mf_frame_y(&f, 0) == 70 && mf_frame_y(&f, 1) == 20);
    CHECK_NEAR(mf_tick_step(1, 5), 0.2, 1e-12);
    CHECK_NEAR(mf_tick_step(10, 5), 2, 1e-12);
    CHECK_NEAR(mf_tick_step(0.3, 5), 0.05, 1e-12);
    CHECK_NEAR(mf_tick_step(40, 8), 5, 1e-12);

    mf_strbuf b = {0};
    CHECK(!strcmp(mf_sb_str(&b), ""));
    double x[4] = {0, 0.5, NAN, 1}, y[4] = {0, 1, 0.5, 0.5};
    mf_path_polyline(&b, &f, 4, x, y);
    CHECK_MSG(!strcmp(mf_sb_str(&b), "M10.00 70.00L60.00 20.00M110.00 45.00"), "%s", mf_sb_str(&b));
    mf_sb_free(&b);

    double r[3] = {0, 0.5, 1}, p[3] = {1, 0.8, 0.6};
    mf_path_steps(&b, &f, 3, r, p);
    CHECK_MSG(!strcmp(mf_sb_str(&b), "M10.00 20.00L10.00 30.00L60.00 30.00L60.00 40.00L110.00 40.00"), "%s",
              mf_sb_str(&b));
    mf_sb_free(&b);

    double bx[3] = {0, 0.5, 1}, lo[3] = {0, 0.2, NAN}, hi[3] = {0.5, 0.8, 1};
    mf_path_band(&b, &f, 3, bx, lo, hi);
    CHECK_MSG(!strcmp(mf_sb_str(&b), "M10.00 45.00L60.00 30.00L60.00 60.00L10.00 70.00Z"), "%s", mf_sb_str(&b));
    mf_sb_free(&b);

    for (int i = 0; i < 1000; i++) mf_sb_printf(&b, "%d,", i);
    CHECK(!b.oom && b.len == strlen(b.s) && !strncmp(b.s + b.len - 4, "999,", 4));
    mf_sb_free(&b);
    CHECK(b.s == NULL && b.len == 0);
    return check_done();
}
