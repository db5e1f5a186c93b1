#ifndef KNEELOAD_CGPIOD_H
#define KNEELOAD_CGPIOD_H

/* A small, version-neutral layer over libgpiod. The same functions, with the same meaning, are built on
 * libgpiod 1.6 (Debian/Raspberry Pi OS bookworm) and on libgpiod 2.x (trixie): cgpiod.c picks the API at
 * compile time from the header it is given. The Swift side never sees a libgpiod type.
 *
 * Conventions: every function returns 0 (or a documented non-negative value) on success and -errno on
 * failure; none of them prints, aborts or keeps global state. Values are PHYSICAL levels (0 low, 1 high):
 * polarity (active-low wiring) is the caller's business, so both API versions behave identically.
 *
 * errno values the two libgpiod versions would report differently are made the same here:
 *   -ENOENT  the chip path does not exist;
 *   -ENOTTY  the path exists but is not a GPIO chip character device (a file, /dev/null, ...);
 *   -EBUSY   the line is requested by another consumer (see cgpiod_line_info);
 *   -EACCES  no permission to open the chip;
 *   -EPERM   waiting for, reading or polling edge events on a line requested without them. */

#include <stddef.h>
#include <stdint.h>

/* One requested line (an output, or an input with or without edge events). Opaque. */
typedef struct cgpiod_line cgpiod_line;

typedef enum {
    CGPIOD_BIAS_AS_IS = 0,     /* leave the pull as firmware or device tree set it */
    CGPIOD_BIAS_DISABLED = 1,  /* no pull */
    CGPIOD_BIAS_PULL_UP = 2,
    CGPIOD_BIAS_PULL_DOWN = 3,
} cgpiod_bias;

typedef enum {
    CGPIOD_EDGE_RISING = 1,
    CGPIOD_EDGE_FALLING = 2,
} cgpiod_edge;

typedef struct {
    cgpiod_edge edge;
    /* Kernel timestamp of the edge, nanoseconds on CLOCK_MONOTONIC (both uAPIs' default since Linux 5.7). */
    uint64_t timestamp_ns;
    /* libgpiod 2.x only (0 on 1.6): sequence numbers of this event on its line and on its request. A gap
     * in line_seqno means the kernel's event queue overflowed and events were lost. */
    uint64_t line_seqno;
    uint64_t global_seqno;
} cgpiod_edge_event;

/* 1 or 2: the libgpiod API this file was compiled against. */
int cgpiod_api_major(void);

/* The libgpiod version string of the library linked at run time (for the daemon's start-up log). */
const char *cgpiod_library_version(void);

/* Finds the line called `name` on the GPIO chips of `dev_dir` (normally "/dev"), trying gpiochip0,
 * gpiochip1, ... in numeric order; the first chip that has the line wins. On success writes the chip's path
 * into `chip_path` and the line's offset into `offset`.
 * Errors: -ENODEV  dev_dir has no gpiochip device at all (or does not exist);
 *         -ENOENT  no chip has a line of that name;
 *         -EACCES/-EPERM, or another open error: some chip could not be opened and none of the others
 *                  has the line (the line may be on the one that failed);
 *         -ENAMETOOLONG  chip_path is too small.
 * `chips_seen` (may be NULL) receives the number of gpiochip entries looked at. */
int cgpiod_find_line(const char *dev_dir, const char *name, char *chip_path, size_t chip_path_size,
                     unsigned int *offset, unsigned int *chips_seen);

/* The chip's label (for example "pinctrl-rp1") and its number of lines. */
int cgpiod_chip_info(const char *chip_path, char *label, size_t label_size, unsigned int *num_lines);

/* What the kernel says about one line: its name ("" if unnamed), whether it is requested, and by which
 * consumer ("" if none). Used to explain a busy line. */
int cgpiod_line_info(const char *chip_path, unsigned int offset, char *name, size_t name_size, int *used,
                     char *consumer, size_t consumer_size);

/* Requests the line as an output driven to `initial_value` (0/1) from the first instant. */
int cgpiod_request_output(const char *chip_path, unsigned int offset, const char *consumer, int initial_value,
                          cgpiod_line **line);

/* Requests the line as an input with `bias`; with `edge_events` non-zero, rising and falling edges are
 * queued by the kernel for cgpiod_wait_edge / cgpiod_read_edge. */
int cgpiod_request_input(const char *chip_path, unsigned int offset, const char *consumer, cgpiod_bias bias,
                         int edge_events, cgpiod_line **line);

int cgpiod_set_value(cgpiod_line *line, int value);

/* The line's physical level: 0 or 1, or -errno. */
int cgpiod_get_value(cgpiod_line *line);

/* Waits up to `timeout_ns` for an edge event: 1 an event is queued, 0 timed out, -errno on error. A timeout
 * of 0 only checks; a negative timeout waits indefinitely. */
int cgpiod_wait_edge(cgpiod_line *line, int64_t timeout_ns);

/* Reads one queued edge event. Blocks if none is queued: call it after cgpiod_wait_edge returned 1. */
int cgpiod_read_edge(cgpiod_line *line, cgpiod_edge_event *event);

/* The file descriptor that becomes readable when an edge event is queued (for poll/epoll), or -errno. It
 * belongs to the line: do not close it. */
int cgpiod_event_fd(cgpiod_line *line);

/* Gives the line back to the kernel and frees the handle. NULL is accepted. The level a released output
 * keeps is up to the chip driver: drive it to its idle level first. */
int cgpiod_release(cgpiod_line *line);

#endif
