/* The CGpiod shim against a real kernel GPIO chip: a gpio-sim chip of 8 lines labelled "harness-bank0", with
 * line 3 named "out3" and line 6 named "mon6", as the research kernel harness
 * (shared/research/kernel-harness/run.sh, Debian 6.1 kernel under QEMU) creates it. Run there as an EXTRA, it
 * reads GPIOCHIP (gpiochipN) and GPIOSIM_SYSFS (the chip's sysfs directory, whose sim_gpioN/value shows a
 * line's level and sim_gpioN/pull plays an outside signal). Not part of CI: the project's own gpio-sim checks
 * are the `gpio` section of Sources/kneeload-kernel-check, run by Tests/kernel/run.sh through the Swift layer
 * (LinuxGPIO over this shim). Kept as the shim-level record for libgpiod 2.x, which that harness does not run.
 * Built statically against each API (the commands check.sh uses, plus -static):
 *   cc -O2 -static -ISources/CGpiod/include gpiosim-check.c Sources/CGpiod/cgpiod.c -lgpiod      (1.6)
 *   cc -O2 -static -ISources/CGpiod/include gpiosim-check.c cgpiod-v2.o libgpiod-v2.a            (2.x)
 * On 2025-11-22 both passed all 31 checks: lookup by name, output levels, busy/consumer, bias, both-edge
 * events with CLOCK_MONOTONIC timestamps, poll on the event fd, timeouts, bad offsets, not-a-chip. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cgpiod.h"

static int failures = 0, passes = 0;
static void check(int ok, const char *what, long got) {
    printf("%s api%d %s (got %ld)\n", ok ? "PASS:" : "FAIL:", cgpiod_api_major(), what, got);
    if (ok) passes++; else failures++;
}
static int sysfs_value(const char *sim, int offset) {
    char path[256]; snprintf(path, sizeof path, "%s/sim_gpio%d/value", sim, offset);
    FILE *f = fopen(path, "r"); if (!f) return -1; int v = -1; if (fscanf(f, "%d", &v) != 1) v = -1; fclose(f); return v;
}
static void set_pull(const char *sim, int offset, const char *pull) {
    char path[256]; snprintf(path, sizeof path, "%s/sim_gpio%d/pull", sim, offset);
    FILE *f = fopen(path, "w"); if (f) { fputs(pull, f); fclose(f); }
}
static uint64_t mono_ns(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return (uint64_t)t.tv_sec * 1000000000u + t.tv_nsec; }

int main(void) {
    const char *chipname = getenv("GPIOCHIP"), *sim = getenv("GPIOSIM_SYSFS");
    if (!chipname || !sim) { puts("FAIL: no GPIOCHIP/GPIOSIM_SYSFS"); return 1; }
    char chip[4096], expected[256], text[64], consumer[64];
    snprintf(expected, sizeof expected, "/dev/%s", chipname);
    unsigned int offset = 99, seen = 0, lines = 0;
    int r = cgpiod_find_line("/dev", "out3", chip, sizeof chip, &offset, &seen);
    check(r == 0 && offset == 3 && strcmp(chip, expected) == 0 && seen >= 1, "find out3 by name", r);
    r = cgpiod_find_line("/dev", "mon6", chip, sizeof chip, &offset, &seen);
    check(r == 0 && offset == 6, "find mon6 by name", offset);
    r = cgpiod_find_line("/dev", "GPIO17", chip, sizeof chip, &offset, &seen);
    check(r == -ENOENT && seen >= 1, "unknown name -> -ENOENT with chips seen", r);
    r = cgpiod_find_line("/dev", "out3", chip, 5, &offset, &seen);
    check(r == -ENAMETOOLONG, "small path buffer -> -ENAMETOOLONG", r);
    r = cgpiod_chip_info(expected, text, sizeof text, &lines);
    check(r == 0 && lines == 8 && strcmp(text, "harness-bank0") == 0, "chip info: label and 8 lines", lines);

    cgpiod_line *out = NULL;
    r = cgpiod_request_output(expected, 3, "kneeload-test", 1, &out);
    check(r == 0 && out != NULL, "request out3 as output, initial 1", r);
    check(sysfs_value(sim, 3) == 1, "initial value reaches the chip", sysfs_value(sim, 3));
    r = cgpiod_set_value(out, 0);
    check(r == 0 && sysfs_value(sim, 3) == 0, "set 0", sysfs_value(sim, 3));
    r = cgpiod_set_value(out, 1);
    check(r == 0 && sysfs_value(sim, 3) == 1, "set 1", sysfs_value(sim, 3));
    check(cgpiod_get_value(out) == 1, "get_value of an output", cgpiod_get_value(out));
    int used = -1;
    r = cgpiod_line_info(expected, 3, text, sizeof text, &used, consumer, sizeof consumer);
    check(r == 0 && used == 1 && strcmp(text, "out3") == 0 && strcmp(consumer, "kneeload-test") == 0,
          "line info: name, used, consumer", used);
    cgpiod_line *again = NULL;
    r = cgpiod_request_output(expected, 3, "other", 0, &again);
    check(r == -EBUSY && again == NULL, "second request of a held line -> -EBUSY", r);
    r = cgpiod_event_fd(out);
    check(r < 0, "an output has no event fd", r);
    cgpiod_release(out);
    r = cgpiod_line_info(expected, 3, NULL, 0, &used, NULL, 0);
    check(r == 0 && used == 0, "released line is free", used);

    cgpiod_line *in = NULL;
    r = cgpiod_request_input(expected, 7, "kneeload-test", CGPIOD_BIAS_PULL_UP, 0, &in);
    check(r == 0 && cgpiod_get_value(in) == 1, "input with pull-up reads 1", cgpiod_get_value(in));
    cgpiod_release(in);
    r = cgpiod_request_input(expected, 7, "kneeload-test", CGPIOD_BIAS_PULL_DOWN, 0, &in);
    check(r == 0 && cgpiod_get_value(in) == 0, "input with pull-down reads 0", cgpiod_get_value(in));
    check(cgpiod_wait_edge(in, 0) == -EPERM, "wait on a line without edge events -> -EPERM", cgpiod_wait_edge(in, 0));
    cgpiod_release(in);

    set_pull(sim, 6, "pull-down");
    r = cgpiod_request_input(expected, 6, "kneeload-test", CGPIOD_BIAS_AS_IS, 1, &in);
    check(r == 0, "request mon6 with both edges", r);
    check(cgpiod_wait_edge(in, 0) == 0, "no edge yet: wait(0) -> 0", cgpiod_wait_edge(in, 0));
    int fd = cgpiod_event_fd(in);
    check(fd >= 0, "event fd", fd);
    uint64_t before = mono_ns();
    set_pull(sim, 6, "pull-up");
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int polled = poll(&p, 1, 1000);
    check(polled == 1 && (p.revents & POLLIN), "poll on the fd sees the edge", polled);
    check(cgpiod_wait_edge(in, 1000000000) == 1, "wait -> 1", 1);
    cgpiod_edge_event ev;
    r = cgpiod_read_edge(in, &ev);
    uint64_t after = mono_ns();
    check(r == 0 && ev.edge == CGPIOD_EDGE_RISING, "rising edge", ev.edge);
    check(ev.timestamp_ns >= before && ev.timestamp_ns <= after, "timestamp on CLOCK_MONOTONIC", (long)((int64_t)ev.timestamp_ns - (int64_t)before));
    set_pull(sim, 6, "pull-down");
    check(cgpiod_wait_edge(in, 1000000000) == 1, "second edge", 1);
    r = cgpiod_read_edge(in, &ev);
    check(r == 0 && ev.edge == CGPIOD_EDGE_FALLING, "falling edge", ev.edge);
    if (cgpiod_api_major() == 2) check(ev.line_seqno == 2, "v2 line sequence number 2", (long)ev.line_seqno);
    else check(ev.line_seqno == 0, "v1 has no sequence numbers", (long)ev.line_seqno);
    check(cgpiod_get_value(in) == 0, "input level after falling edge", cgpiod_get_value(in));
    check(cgpiod_wait_edge(in, 20000000) == 0, "then a 20 ms wait times out", 0);
    cgpiod_release(in);

    r = cgpiod_request_output(expected, 20, "kneeload-test", 0, &out);
    check(r == -EINVAL, "offset past the last line -> -EINVAL", r);
    r = cgpiod_request_output("/dev/null", 0, "kneeload-test", 0, &out);
    check(r == -ENOTTY, "/dev/null -> -ENOTTY", r);
    printf("%d passed, %d failed\n", passes, failures);
    return failures == 0 ? 0 : 1;
}
