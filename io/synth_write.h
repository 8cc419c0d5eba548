/* synth_write.h: the synthetic demo as files, laid out like the real
 * database (mdb001.pgm ... and Info.txt in MIAS's own format, CRLF), so every
 * job reads the demo through the same readers as the real data. */
#ifndef MF_IO_SYNTH_WRITE_H
#define MF_IO_SYNTH_WRITE_H
#include <stdint.h>

#include "core/err.h"

/* Writes dir/mdbNNN.pgm for NNN = 1..n_images (1..999) and dir/Info.txt
 * (a short header line, a blank line, one row per image or lesion, a blank
 * line and a "=====" trailer, as MIAS). Creates dir (mkdir -p). On error
 * removes what it wrote and names the file. */
int mf_synth_write(const char *dir, uint64_t seed, int n_images, mf_err *e);

#endif
