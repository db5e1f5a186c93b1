/* Unit-level run of the CGpiod shim without GPIO hardware: the paths that need no chip (no chips found,
 * not-a-chip files, missing chips, NULL handles) must give the same -errno on libgpiod 1.6 and 2.x.
 * check.sh builds it once against each API and compares the two transcripts.
 * Usage: smoke EXPECTED_API_MAJOR SCRATCH_DIR */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cgpiod.h"

static int failures = 0;

static void expect(int condition, const char *what, int got) {
    printf("%s %s (got %d)\n", condition ? "ok  " : "FAIL", what, got);
    if (!condition) failures++;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s EXPECTED_API_MAJOR SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    int expected_api = atoi(argv[1]);
    const char *scratch = argv[2];
    char path[4096], chip[4096];
    unsigned int offset = 999, seen = 999;

    /* The API line is printed to stderr: it is the one line that must differ between the two builds. */
    fprintf(stderr, "api %d, library %s\n", cgpiod_api_major(), cgpiod_library_version());
    if (cgpiod_api_major() != expected_api) {
        printf("FAIL compiled against API %d, expected %d\n", cgpiod_api_major(), expected_api);
        failures++;
    }
    const char *version = cgpiod_library_version();
    expect(version != NULL && version[0] == (char)('0' + expected_api), "library version matches the API", 0);

    /* An empty directory: no chips at all. */
    snprintf(path, sizeof(path), "%s/empty", scratch);
    int r = cgpiod_find_line(path, "GPIO17", chip, sizeof(chip), &offset, &seen);
    expect(r == -ENODEV && seen == 0, "find in a directory without gpiochip* gives -ENODEV, 0 chips", r);

    /* A directory that does not exist counts as no chips too. */
    snprintf(path, sizeof(path), "%s/missing", scratch);
    r = cgpiod_find_line(path, "GPIO17", chip, sizeof(chip), &offset, &seen);
    expect(r == -ENODEV && seen == 0, "find in a missing directory gives -ENODEV", r);

    /* gpiochip0 is a regular file (not a chip); gpiochipX and gpiochip are not chip names and are skipped. */
    snprintf(path, sizeof(path), "%s/fake", scratch);
    r = cgpiod_find_line(path, "GPIO17", chip, sizeof(chip), &offset, &seen);
    expect(r == -ENOTTY && seen == 1, "a regular file named gpiochip0 is seen and rejected with -ENOTTY", r);

    snprintf(path, sizeof(path), "%s/missing/gpiochip0", scratch);
    cgpiod_line *line = NULL;
    r = cgpiod_request_output(path, 17, "smoke", 0, &line);
    expect(r == -ENOENT && line == NULL, "requesting an output on a missing chip gives -ENOENT", r);
    r = cgpiod_request_input(path, 17, "smoke", CGPIOD_BIAS_PULL_UP, 1, &line);
    expect(r == -ENOENT && line == NULL, "requesting an input on a missing chip gives -ENOENT", r);
    unsigned int lines = 0;
    r = cgpiod_chip_info(path, chip, sizeof(chip), &lines);
    expect(r == -ENOENT, "chip info of a missing chip gives -ENOENT", r);
    int used = -1;
    r = cgpiod_line_info(path, 17, chip, sizeof(chip), &used, chip, sizeof(chip));
    expect(r == -ENOENT, "line info of a missing chip gives -ENOENT", r);

    /* A character device that is not a GPIO chip. */
    r = cgpiod_request_output("/dev/null", 0, "smoke", 0, &line);
    expect(r == -ENOTTY && line == NULL, "/dev/null is refused as a chip with -ENOTTY", r);

    r = cgpiod_request_input("/dev/null", 0, "smoke", (cgpiod_bias)42, 1, &line);
    expect(r == -EINVAL, "an unknown bias is refused with -EINVAL before anything is opened", r);

    expect(cgpiod_set_value(NULL, 1) == -EINVAL, "set on NULL gives -EINVAL", cgpiod_set_value(NULL, 1));
    expect(cgpiod_get_value(NULL) == -EINVAL, "get on NULL gives -EINVAL", cgpiod_get_value(NULL));
    expect(cgpiod_wait_edge(NULL, 0) == -EINVAL, "wait on NULL gives -EINVAL", cgpiod_wait_edge(NULL, 0));
    cgpiod_edge_event event;
    expect(cgpiod_read_edge(NULL, &event) == -EINVAL, "read on NULL gives -EINVAL", cgpiod_read_edge(NULL, &event));
    expect(cgpiod_event_fd(NULL) == -EINVAL, "fd of NULL gives -EINVAL", cgpiod_event_fd(NULL));
    expect(cgpiod_release(NULL) == 0, "release of NULL is a no-op", cgpiod_release(NULL));
    r = cgpiod_find_line(scratch, NULL, chip, sizeof(chip), &offset, &seen);
    expect(r == -EINVAL, "find with a NULL name gives -EINVAL", r);

    printf("%d failure(s)\n", failures);
    return failures == 0 ? 0 : 1;
}
