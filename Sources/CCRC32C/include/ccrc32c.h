#ifndef KNEELOAD_CCRC32C_H
#define KNEELOAD_CCRC32C_H

/* CRC-32C with the processor's own instruction (x86-64 SSE4.2 `crc32`, the ARMv8 CRC32 extension): Swift has
 * no intrinsics for either, and the instruction checks a recording several times faster than tables.
 * Call ccrc32c_update only when ccrc32c_hardware_available() returned non-zero; CRC32C.swift keeps the
 * portable table-driven code for every other processor. */

#include <stddef.h>
#include <stdint.h>

/* Non-zero when this processor has the instruction (checked at run time: one binary serves every x86-64). */
int ccrc32c_hardware_available(void);

/* Continues a running (pre-inverted) CRC-32C over `count` bytes. */
uint32_t ccrc32c_update(uint32_t crc, const void *bytes, size_t count);

#endif
