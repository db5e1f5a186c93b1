#include "cgpiod.h"

#ifdef __linux__
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <gpiod.h>

/* libgpiod 1.6's header defines GPIOD_BIT (and GPIOD_API, GPIOD_LINE_BULK_MAX_LINES); 2.x headers define
 * none of them (checked against 1.6.3 and 2.2.4, engineering.md §4). */
#if defined(GPIOD_BIT)
#define CGPIOD_V1 1
#else
#define CGPIOD_V1 0
#endif

/* ---- helpers shared by both versions ---- */

/* libgpiod reports failures through errno; a failure that left errno at 0 is still a failure. */
static int failure(void) { return errno > 0 ? -errno : -EIO; }

/* Copies src into dst (which may be NULL when the caller does not want the value). */
static int copy_out(char *dst, size_t size, const char *src) {
    if (dst == NULL || size == 0) return 0;
    if (src == NULL) src = "";
    size_t length = strlen(src);
    if (length >= size) return -ENAMETOOLONG;
    memcpy(dst, src, length + 1);
    return 0;
}

/* "gpiochip12" -> 12; anything else (including "gpiochip", "gpiochip1a") -> -1. */
static long chip_number(const char *entry) {
    static const char prefix[] = "gpiochip";
    if (strncmp(entry, prefix, sizeof(prefix) - 1) != 0) return -1;
    const char *digits = entry + sizeof(prefix) - 1;
    if (*digits == '\0') return -1;
    long number = 0;
    for (const char *c = digits; *c != '\0'; c++) {
        if (*c < '0' || *c > '9' || number > 100000) return -1;
        number = number * 10 + (*c - '0');
    }
    return number;
}

static int compare_numbers(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* ---- version-specific primitives ---- */

#if CGPIOD_V1

struct cgpiod_line {
    struct gpiod_chip *chip; /* a v1 line belongs to its chip: both live as long as the request */
    struct gpiod_line *line;
    /* 1.6's event wait polls whatever fd the line has: on a line requested for values only it reports an
     * "event" (seen on gpio-sim). Without edge events the shim answers -EPERM itself, as 2.x does. */
    int edge_events;
};

int cgpiod_api_major(void) { return 1; }
const char *cgpiod_library_version(void) { return gpiod_version_string(); }

static int chip_find_offset(const char *path, const char *name, unsigned int *offset) {
    struct gpiod_chip *chip = gpiod_chip_open(path);
    if (chip == NULL) return failure();
    errno = 0;
    struct gpiod_line *line = gpiod_chip_find_line(chip, name);
    int result = 0;
    if (line == NULL) result = errno > 0 ? -errno : -ENOENT;
    else *offset = gpiod_line_offset(line);
    gpiod_chip_close(chip);
    return result;
}

int cgpiod_chip_info(const char *chip_path, char *label, size_t label_size, unsigned int *num_lines) {
    if (chip_path == NULL) return -EINVAL;
    struct gpiod_chip *chip = gpiod_chip_open(chip_path);
    if (chip == NULL) return failure();
    int result = copy_out(label, label_size, gpiod_chip_label(chip));
    if (num_lines != NULL) *num_lines = gpiod_chip_num_lines(chip);
    gpiod_chip_close(chip);
    return result;
}

int cgpiod_line_info(const char *chip_path, unsigned int offset, char *name, size_t name_size, int *used,
                     char *consumer, size_t consumer_size) {
    if (chip_path == NULL) return -EINVAL;
    struct gpiod_chip *chip = gpiod_chip_open(chip_path);
    if (chip == NULL) return failure();
    struct gpiod_line *line = gpiod_chip_get_line(chip, offset); /* reads the line's info from the kernel */
    int result;
    if (line == NULL) {
        result = failure();
    } else {
        result = copy_out(name, name_size, gpiod_line_name(line));
        if (result == 0) result = copy_out(consumer, consumer_size, gpiod_line_consumer(line));
        if (used != NULL) *used = gpiod_line_is_used(line) ? 1 : 0;
    }
    gpiod_chip_close(chip);
    return result;
}

/* Opens the chip and takes the line object at `offset`; the caller requests it. */
static int open_line(const char *chip_path, unsigned int offset, struct cgpiod_line **out) {
    struct cgpiod_line *handle = calloc(1, sizeof(*handle));
    if (handle == NULL) return -ENOMEM;
    handle->chip = gpiod_chip_open(chip_path);
    if (handle->chip == NULL) {
        int result = failure();
        free(handle);
        return result;
    }
    handle->line = gpiod_chip_get_line(handle->chip, offset);
    if (handle->line == NULL) {
        int result = failure();
        gpiod_chip_close(handle->chip);
        free(handle);
        return result;
    }
    *out = handle;
    return 0;
}

static void close_line(struct cgpiod_line *handle) {
    gpiod_chip_close(handle->chip); /* also releases the line if it is still requested */
    free(handle);
}

int cgpiod_request_output(const char *chip_path, unsigned int offset, const char *consumer, int initial_value,
                          cgpiod_line **line) {
    if (chip_path == NULL || consumer == NULL || line == NULL) return -EINVAL;
    struct cgpiod_line *handle;
    int result = open_line(chip_path, offset, &handle);
    if (result < 0) return result;
    if (gpiod_line_request_output(handle->line, consumer, initial_value ? 1 : 0) < 0) {
        result = failure();
        close_line(handle);
        return result;
    }
    *line = handle;
    return 0;
}

int cgpiod_request_input(const char *chip_path, unsigned int offset, const char *consumer, cgpiod_bias bias,
                         int edge_events, cgpiod_line **line) {
    if (chip_path == NULL || consumer == NULL || line == NULL) return -EINVAL;
    int flags;
    switch (bias) {
    case CGPIOD_BIAS_AS_IS: flags = 0; break;
    case CGPIOD_BIAS_DISABLED: flags = GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE; break;
    case CGPIOD_BIAS_PULL_UP: flags = GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP; break;
    case CGPIOD_BIAS_PULL_DOWN: flags = GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN; break;
    default: return -EINVAL;
    }
    struct cgpiod_line *handle;
    int result = open_line(chip_path, offset, &handle);
    if (result < 0) return result;
    int requested = edge_events ? gpiod_line_request_both_edges_events_flags(handle->line, consumer, flags)
                                : gpiod_line_request_input_flags(handle->line, consumer, flags);
    if (requested < 0) {
        result = failure();
        close_line(handle);
        return result;
    }
    handle->edge_events = edge_events ? 1 : 0;
    *line = handle;
    return 0;
}

int cgpiod_set_value(cgpiod_line *line, int value) {
    if (line == NULL) return -EINVAL;
    return gpiod_line_set_value(line->line, value ? 1 : 0) < 0 ? failure() : 0;
}

int cgpiod_get_value(cgpiod_line *line) {
    if (line == NULL) return -EINVAL;
    int value = gpiod_line_get_value(line->line);
    return value < 0 ? failure() : (value ? 1 : 0);
}

int cgpiod_wait_edge(cgpiod_line *line, int64_t timeout_ns) {
    if (line == NULL) return -EINVAL;
    if (!line->edge_events) return -EPERM;
    struct timespec timeout = {.tv_sec = (time_t)(timeout_ns / 1000000000), .tv_nsec = (long)(timeout_ns % 1000000000)};
    int result = gpiod_line_event_wait(line->line, timeout_ns < 0 ? NULL : &timeout);
    return result < 0 ? failure() : result;
}

int cgpiod_read_edge(cgpiod_line *line, cgpiod_edge_event *event) {
    if (line == NULL || event == NULL) return -EINVAL;
    if (!line->edge_events) return -EPERM;
    struct gpiod_line_event raw;
    if (gpiod_line_event_read(line->line, &raw) < 0) return failure();
    event->edge = raw.event_type == GPIOD_LINE_EVENT_RISING_EDGE ? CGPIOD_EDGE_RISING : CGPIOD_EDGE_FALLING;
    event->timestamp_ns = (uint64_t)raw.ts.tv_sec * 1000000000u + (uint64_t)raw.ts.tv_nsec;
    event->line_seqno = 0;
    event->global_seqno = 0;
    return 0;
}

int cgpiod_event_fd(cgpiod_line *line) {
    if (line == NULL) return -EINVAL;
    if (!line->edge_events) return -EPERM;
    int fd = gpiod_line_event_get_fd(line->line);
    return fd < 0 ? failure() : fd;
}

int cgpiod_release(cgpiod_line *line) {
    if (line == NULL) return 0;
    gpiod_line_release(line->line);
    close_line(line);
    return 0;
}

#else /* libgpiod 2.x */

struct cgpiod_line {
    struct gpiod_line_request *request; /* independent of the chip object, which is closed after requesting */
    unsigned int offset;
    struct gpiod_edge_event_buffer *events; /* NULL unless edge events were requested */
};

int cgpiod_api_major(void) { return 2; }
const char *cgpiod_library_version(void) { return gpiod_api_version(); }

/* 2.x reports a character device of another subsystem (/dev/null) with ENODEV where 1.6 says ENOTTY, as both
 * do for a file that is not a device: the shim answers ENOTTY for every "not a GPIO chip". */
static struct gpiod_chip *open_chip(const char *path) {
    struct gpiod_chip *chip = gpiod_chip_open(path);
    if (chip == NULL && errno == ENODEV) {
        struct stat status;
        if (stat(path, &status) == 0 && S_ISCHR(status.st_mode) && !gpiod_is_gpiochip_device(path)) errno = ENOTTY;
    }
    return chip;
}

static int chip_find_offset(const char *path, const char *name, unsigned int *offset) {
    struct gpiod_chip *chip = open_chip(path);
    if (chip == NULL) return failure();
    errno = 0;
    int found = gpiod_chip_get_line_offset_from_name(chip, name);
    int result = 0;
    if (found < 0) result = errno > 0 ? -errno : -ENOENT;
    else *offset = (unsigned int)found;
    gpiod_chip_close(chip);
    return result;
}

int cgpiod_chip_info(const char *chip_path, char *label, size_t label_size, unsigned int *num_lines) {
    if (chip_path == NULL) return -EINVAL;
    struct gpiod_chip *chip = open_chip(chip_path);
    if (chip == NULL) return failure();
    struct gpiod_chip_info *info = gpiod_chip_get_info(chip);
    int result;
    if (info == NULL) {
        result = failure();
    } else {
        result = copy_out(label, label_size, gpiod_chip_info_get_label(info));
        if (num_lines != NULL) *num_lines = (unsigned int)gpiod_chip_info_get_num_lines(info);
        gpiod_chip_info_free(info);
    }
    gpiod_chip_close(chip);
    return result;
}

int cgpiod_line_info(const char *chip_path, unsigned int offset, char *name, size_t name_size, int *used,
                     char *consumer, size_t consumer_size) {
    if (chip_path == NULL) return -EINVAL;
    struct gpiod_chip *chip = open_chip(chip_path);
    if (chip == NULL) return failure();
    struct gpiod_line_info *info = gpiod_chip_get_line_info(chip, offset);
    int result;
    if (info == NULL) {
        result = failure();
    } else {
        result = copy_out(name, name_size, gpiod_line_info_get_name(info));
        if (result == 0) result = copy_out(consumer, consumer_size, gpiod_line_info_get_consumer(info));
        if (used != NULL) *used = gpiod_line_info_is_used(info) ? 1 : 0;
        gpiod_line_info_free(info);
    }
    gpiod_chip_close(chip);
    return result;
}

/* Builds the v2 configuration objects around `settings` and requests the single line. */
static int request_line(const char *chip_path, unsigned int offset, const char *consumer,
                        struct gpiod_line_settings *settings, struct gpiod_line_request **out) {
    int result = 0;
    struct gpiod_chip *chip = NULL;
    struct gpiod_line_config *line_config = gpiod_line_config_new();
    struct gpiod_request_config *request_config = gpiod_request_config_new();
    if (line_config == NULL || request_config == NULL) {
        result = -ENOMEM;
        goto done;
    }
    if (gpiod_line_config_add_line_settings(line_config, &offset, 1, settings) < 0) {
        result = failure();
        goto done;
    }
    gpiod_request_config_set_consumer(request_config, consumer);
    chip = open_chip(chip_path);
    if (chip == NULL) {
        result = failure();
        goto done;
    }
    *out = gpiod_chip_request_lines(chip, request_config, line_config);
    if (*out == NULL) result = failure();
done:
    if (chip != NULL) gpiod_chip_close(chip);
    gpiod_request_config_free(request_config);
    gpiod_line_config_free(line_config);
    return result;
}

int cgpiod_request_output(const char *chip_path, unsigned int offset, const char *consumer, int initial_value,
                          cgpiod_line **line) {
    if (chip_path == NULL || consumer == NULL || line == NULL) return -EINVAL;
    struct cgpiod_line *handle = calloc(1, sizeof(*handle));
    struct gpiod_line_settings *settings = gpiod_line_settings_new();
    int result = 0;
    if (handle == NULL || settings == NULL) {
        result = -ENOMEM;
        goto done;
    }
    if (gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_OUTPUT) < 0 ||
        gpiod_line_settings_set_output_value(settings, initial_value ? GPIOD_LINE_VALUE_ACTIVE
                                                                     : GPIOD_LINE_VALUE_INACTIVE) < 0) {
        result = failure();
        goto done;
    }
    result = request_line(chip_path, offset, consumer, settings, &handle->request);
    if (result == 0) {
        handle->offset = offset;
        *line = handle;
        handle = NULL;
    }
done:
    gpiod_line_settings_free(settings);
    free(handle);
    return result;
}

int cgpiod_request_input(const char *chip_path, unsigned int offset, const char *consumer, cgpiod_bias bias,
                         int edge_events, cgpiod_line **line) {
    if (chip_path == NULL || consumer == NULL || line == NULL) return -EINVAL;
    enum gpiod_line_bias line_bias;
    switch (bias) {
    case CGPIOD_BIAS_AS_IS: line_bias = GPIOD_LINE_BIAS_AS_IS; break;
    case CGPIOD_BIAS_DISABLED: line_bias = GPIOD_LINE_BIAS_DISABLED; break;
    case CGPIOD_BIAS_PULL_UP: line_bias = GPIOD_LINE_BIAS_PULL_UP; break;
    case CGPIOD_BIAS_PULL_DOWN: line_bias = GPIOD_LINE_BIAS_PULL_DOWN; break;
    default: return -EINVAL;
    }
    struct cgpiod_line *handle = calloc(1, sizeof(*handle));
    struct gpiod_line_settings *settings = gpiod_line_settings_new();
    int result = 0;
    if (handle == NULL || settings == NULL) {
        result = -ENOMEM;
        goto done;
    }
    if (gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_INPUT) < 0 ||
        gpiod_line_settings_set_bias(settings, line_bias) < 0 ||
        (edge_events && gpiod_line_settings_set_edge_detection(settings, GPIOD_LINE_EDGE_BOTH) < 0)) {
        result = failure();
        goto done;
    }
    if (edge_events) {
        handle->events = gpiod_edge_event_buffer_new(1);
        if (handle->events == NULL) {
            result = -ENOMEM;
            goto done;
        }
    }
    result = request_line(chip_path, offset, consumer, settings, &handle->request);
    if (result == 0) {
        handle->offset = offset;
        *line = handle;
        handle = NULL;
    }
done:
    gpiod_line_settings_free(settings);
    if (handle != NULL) {
        gpiod_edge_event_buffer_free(handle->events);
        free(handle);
    }
    return result;
}

int cgpiod_set_value(cgpiod_line *line, int value) {
    if (line == NULL) return -EINVAL;
    int result = gpiod_line_request_set_value(line->request, line->offset,
                                              value ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE);
    return result < 0 ? failure() : 0;
}

int cgpiod_get_value(cgpiod_line *line) {
    if (line == NULL) return -EINVAL;
    enum gpiod_line_value value = gpiod_line_request_get_value(line->request, line->offset);
    if (value == GPIOD_LINE_VALUE_ERROR) return failure();
    return value == GPIOD_LINE_VALUE_ACTIVE ? 1 : 0;
}

int cgpiod_wait_edge(cgpiod_line *line, int64_t timeout_ns) {
    if (line == NULL) return -EINVAL;
    if (line->events == NULL) return -EPERM; /* as v1 does for a line not requested for events */
    int result = gpiod_line_request_wait_edge_events(line->request, timeout_ns);
    return result < 0 ? failure() : result;
}

int cgpiod_read_edge(cgpiod_line *line, cgpiod_edge_event *event) {
    if (line == NULL || event == NULL) return -EINVAL;
    if (line->events == NULL) return -EPERM;
    int count = gpiod_line_request_read_edge_events(line->request, line->events, 1);
    if (count < 0) return failure();
    if (count == 0) return -EAGAIN;
    struct gpiod_edge_event *raw = gpiod_edge_event_buffer_get_event(line->events, 0);
    if (raw == NULL) return -EIO;
    event->edge = gpiod_edge_event_get_event_type(raw) == GPIOD_EDGE_EVENT_RISING_EDGE ? CGPIOD_EDGE_RISING
                                                                                       : CGPIOD_EDGE_FALLING;
    event->timestamp_ns = gpiod_edge_event_get_timestamp_ns(raw);
    event->line_seqno = gpiod_edge_event_get_line_seqno(raw);
    event->global_seqno = gpiod_edge_event_get_global_seqno(raw);
    return 0;
}

int cgpiod_event_fd(cgpiod_line *line) {
    if (line == NULL) return -EINVAL;
    if (line->events == NULL) return -EPERM;
    int fd = gpiod_line_request_get_fd(line->request);
    return fd < 0 ? failure() : fd;
}

int cgpiod_release(cgpiod_line *line) {
    if (line == NULL) return 0;
    gpiod_line_request_release(line->request);
    gpiod_edge_event_buffer_free(line->events);
    free(line);
    return 0;
}

#endif /* CGPIOD_V1 */

/* ---- the search by name, written once on top of chip_find_offset ---- */

int cgpiod_find_line(const char *dev_dir, const char *name, char *chip_path, size_t chip_path_size,
                     unsigned int *offset, unsigned int *chips_seen) {
    if (chips_seen != NULL) *chips_seen = 0;
    if (dev_dir == NULL || name == NULL || chip_path == NULL || offset == NULL) return -EINVAL;

    DIR *directory = opendir(dev_dir);
    if (directory == NULL) return errno == ENOENT || errno == ENOTDIR ? -ENODEV : failure();
    long numbers[256];
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir(directory)) != NULL && count < sizeof(numbers) / sizeof(numbers[0])) {
        long number = chip_number(entry->d_name);
        if (number >= 0) numbers[count++] = number;
    }
    closedir(directory);
    if (chips_seen != NULL) *chips_seen = (unsigned int)count;
    if (count == 0) return -ENODEV;
    /* Numeric order, so gpiochip0 is tried before gpiochip4 (on a Pi 5 with kernel >= 6.6.45 udev makes
     * gpiochip4 an alias of gpiochip0: the first match is the real chip). */
    qsort(numbers, count, sizeof(numbers[0]), compare_numbers);

    int opened_any = 0, permission_error = 0, first_open_error = 0;
    for (size_t i = 0; i < count; i++) {
        char path[4096];
        int length = snprintf(path, sizeof(path), "%s/gpiochip%ld", dev_dir, numbers[i]);
        if (length < 0 || (size_t)length >= sizeof(path)) return -ENAMETOOLONG;
        unsigned int found = 0;
        int result = chip_find_offset(path, name, &found);
        if (result == 0) {
            int copied = copy_out(chip_path, chip_path_size, path);
            if (copied < 0) return copied;
            *offset = found;
            return 0;
        }
        if (result == -ENOENT) {
            opened_any = 1; /* the chip opened; it just has no such line */
        } else if (result == -EACCES || result == -EPERM) {
            if (permission_error == 0) permission_error = result;
        } else if (first_open_error == 0) {
            first_open_error = result;
        }
    }
    if (permission_error != 0) return permission_error;
    if (opened_any) return -ENOENT;
    return first_open_error != 0 ? first_open_error : -ENOENT;
}

#else /* not Linux: the package still builds (replay on a laptop); every request reports ENOSYS. */
#include <errno.h>
int cgpiod_api_major(void) { return 0; }
const char *cgpiod_library_version(void) { return "none"; }
int cgpiod_find_line(const char *d, const char *n, char *p, size_t s, unsigned int *o, unsigned int *c) {
    (void)d; (void)n; (void)p; (void)s; (void)o;
    if (c != NULL) *c = 0;
    return -ENOSYS;
}
int cgpiod_chip_info(const char *p, char *l, size_t s, unsigned int *n) { (void)p; (void)l; (void)s; (void)n; return -ENOSYS; }
int cgpiod_line_info(const char *p, unsigned int o, char *n, size_t ns, int *u, char *c, size_t cs) {
    (void)p; (void)o; (void)n; (void)ns; (void)u; (void)c; (void)cs;
    return -ENOSYS;
}
int cgpiod_request_output(const char *p, unsigned int o, const char *c, int v, cgpiod_line **l) {
    (void)p; (void)o; (void)c; (void)v; (void)l;
    return -ENOSYS;
}
int cgpiod_request_input(const char *p, unsigned int o, const char *c, cgpiod_bias b, int e, cgpiod_line **l) {
    (void)p; (void)o; (void)c; (void)b; (void)e; (void)l;
    return -ENOSYS;
}
int cgpiod_set_value(cgpiod_line *l, int v) { (void)l; (void)v; return -ENOSYS; }
int cgpiod_get_value(cgpiod_line *l) { (void)l; return -ENOSYS; }
int cgpiod_wait_edge(cgpiod_line *l, int64_t t) { (void)l; (void)t; return -ENOSYS; }
int cgpiod_read_edge(cgpiod_line *l, cgpiod_edge_event *e) { (void)l; (void)e; return -ENOSYS; }
int cgpiod_event_fd(cgpiod_line *l) { (void)l; return -ENOSYS; }
int cgpiod_release(cgpiod_line *l) { (void)l; return 0; }
#endif
