/* half.h: IEEE 754 binary16 <-> float32, round to nearest even, for the
 * float16 feature store (HDF5 1.10 has no native half type, so mammofuse
 * converts itself and stores the bits under a custom HDF5 float type). */
#ifndef MF_HALF_H
#define MF_HALF_H
#include <stddef.h>
#include <stdint.h>

uint16_t mf_f32_to_f16(float f);
float mf_f16_to_f32(uint16_t h);
void mf_f32_to_f16_array(const float *in, uint16_t *out, size_t n);

#endif
