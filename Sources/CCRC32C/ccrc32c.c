#include "ccrc32c.h"

#if defined(__x86_64__)

#include <nmmintrin.h>

int ccrc32c_hardware_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2");
}

/* Compiled for SSE4.2 on its own, so the rest of the package still runs on any x86-64. */
__attribute__((target("sse4.2"))) uint32_t ccrc32c_update(uint32_t crc, const void *bytes, size_t count) {
    const unsigned char *p = bytes;
    uint64_t c = crc;
    for (; count >= 8; p += 8, count -= 8) {
        uint64_t word;
        __builtin_memcpy(&word, p, 8); /* unaligned, little-endian */
        c = _mm_crc32_u64(c, word);
    }
    uint32_t c32 = (uint32_t)c;
    for (; count > 0; p++, count--) c32 = _mm_crc32_u8(c32, *p);
    return c32;
}

#elif defined(__aarch64__)

#include <arm_acle.h>
#if defined(__linux__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

int ccrc32c_hardware_available(void) {
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
    return 0; /* the word loads below assume little-endian */
#elif defined(__linux__)
    return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0;
#elif defined(__APPLE__)
    return 1; /* every Apple arm64 processor has it */
#else
    return 0;
#endif
}

/* Compiled for the CRC extension on its own: the Raspberry Pi's Cortex-A53/A72 have it, the baseline does not. */
__attribute__((target("crc"))) uint32_t ccrc32c_update(uint32_t crc, const void *bytes, size_t count) {
    const unsigned char *p = bytes;
    for (; count >= 8; p += 8, count -= 8) {
        uint64_t word;
        __builtin_memcpy(&word, p, 8); /* unaligned, little-endian */
        crc = __crc32cd(crc, word);
    }
    for (; count > 0; p++, count--) crc = __crc32cb(crc, *p);
    return crc;
}

#else

int ccrc32c_hardware_available(void) { return 0; }

uint32_t ccrc32c_update(uint32_t crc, const void *bytes, size_t count) {
    (void)bytes;
    (void)count;
    return crc; /* never called: ccrc32c_hardware_available() is 0 */
}

#endif
