#include "ci2c.h"

#ifdef __linux__
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/i2c.h>
#include <linux/i2c-dev.h>
#include <i2c/smbus.h>

const unsigned long ci2c_func_i2c = I2C_FUNC_I2C;
const unsigned long ci2c_func_smbus_read_i2c_block = I2C_FUNC_SMBUS_READ_I2C_BLOCK;
const unsigned long ci2c_func_smbus_write_i2c_block = I2C_FUNC_SMBUS_WRITE_I2C_BLOCK;
const unsigned long ci2c_func_smbus_byte_data = I2C_FUNC_SMBUS_BYTE_DATA;
const unsigned long ci2c_func_smbus_word_data = I2C_FUNC_SMBUS_WORD_DATA;
const int ci2c_smbus_block_max = I2C_SMBUS_BLOCK_MAX;

int ci2c_open(const char *path) {
    int fd = open(path, O_RDWR | O_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int ci2c_close(int fd) { return close(fd) < 0 ? -errno : 0; }

int ci2c_functionality(int fd, unsigned long *funcs) {
    return ioctl(fd, I2C_FUNCS, funcs) < 0 ? -errno : 0;
}

int ci2c_select(int fd, uint16_t address) {
    /* I2C_SLAVE, not I2C_SLAVE_FORCE: if a kernel driver owns the chip we report EBUSY rather than
     * fight it for the bus. */
    return ioctl(fd, I2C_SLAVE, (unsigned long)address) < 0 ? -errno : 0;
}

int ci2c_rdwr_read(int fd, uint16_t address, uint8_t reg, uint8_t *buf, uint16_t len) {
    struct i2c_msg msgs[2] = {
        {.addr = address, .flags = 0, .len = 1, .buf = &reg},
        {.addr = address, .flags = I2C_M_RD, .len = len, .buf = buf},
    };
    struct i2c_rdwr_ioctl_data data = {.msgs = msgs, .nmsgs = 2};
    return ioctl(fd, I2C_RDWR, &data) < 0 ? -errno : 0;
}

int ci2c_rdwr_write(int fd, uint16_t address, uint8_t reg, const uint8_t *buf, uint16_t len) {
    uint8_t frame[1 + 8192];
    if (len > sizeof(frame) - 1) return -EINVAL;
    frame[0] = reg;
    for (uint16_t i = 0; i < len; i++) frame[1 + i] = buf[i];
    struct i2c_msg msg = {.addr = address, .flags = 0, .len = (uint16_t)(len + 1), .buf = frame};
    struct i2c_rdwr_ioctl_data data = {.msgs = &msg, .nmsgs = 1};
    return ioctl(fd, I2C_RDWR, &data) < 0 ? -errno : 0;
}

int ci2c_smbus_read_block(int fd, uint8_t reg, uint8_t *buf, uint8_t len) {
    int n = i2c_smbus_read_i2c_block_data(fd, reg, len, buf);
    if (n < 0) return n; /* libi2c returns -errno */
    return n == len ? n : -EIO;
}

int ci2c_smbus_write_block(int fd, uint8_t reg, const uint8_t *buf, uint8_t len) {
    return i2c_smbus_write_i2c_block_data(fd, reg, len, buf);
}

int ci2c_smbus_send_byte(int fd, uint8_t value) { return i2c_smbus_write_byte(fd, value); }
int ci2c_smbus_read_byte(int fd, uint8_t reg) { return i2c_smbus_read_byte_data(fd, reg); }
int ci2c_smbus_write_byte(int fd, uint8_t reg, uint8_t value) { return i2c_smbus_write_byte_data(fd, reg, value); }
int ci2c_smbus_read_word(int fd, uint8_t reg) { return i2c_smbus_read_word_data(fd, reg); }
int ci2c_smbus_write_word(int fd, uint8_t reg, uint16_t value) { return i2c_smbus_write_word_data(fd, reg, value); }

#else /* not Linux: the package still builds (for replay on a laptop); every call reports ENOSYS. */
#include <errno.h>
const unsigned long ci2c_func_i2c = 0x1;
const unsigned long ci2c_func_smbus_read_i2c_block = 0x04000000;
const unsigned long ci2c_func_smbus_write_i2c_block = 0x08000000;
const unsigned long ci2c_func_smbus_byte_data = 0x00180000;
const unsigned long ci2c_func_smbus_word_data = 0x00600000;
const int ci2c_smbus_block_max = 32;
int ci2c_open(const char *path) { (void)path; return -ENOSYS; }
int ci2c_close(int fd) { (void)fd; return -ENOSYS; }
int ci2c_functionality(int fd, unsigned long *funcs) { (void)fd; (void)funcs; return -ENOSYS; }
int ci2c_select(int fd, uint16_t a) { (void)fd; (void)a; return -ENOSYS; }
int ci2c_rdwr_read(int fd, uint16_t a, uint8_t r, uint8_t *b, uint16_t l) { (void)fd; (void)a; (void)r; (void)b; (void)l; return -ENOSYS; }
int ci2c_rdwr_write(int fd, uint16_t a, uint8_t r, const uint8_t *b, uint16_t l) { (void)fd; (void)a; (void)r; (void)b; (void)l; return -ENOSYS; }
int ci2c_smbus_read_block(int fd, uint8_t r, uint8_t *b, uint8_t l) { (void)fd; (void)r; (void)b; (void)l; return -ENOSYS; }
int ci2c_smbus_write_block(int fd, uint8_t r, const uint8_t *b, uint8_t l) { (void)fd; (void)r; (void)b; (void)l; return -ENOSYS; }
int ci2c_smbus_send_byte(int fd, uint8_t v) { (void)fd; (void)v; return -ENOSYS; }
int ci2c_smbus_read_byte(int fd, uint8_t r) { (void)fd; (void)r; return -ENOSYS; }
int ci2c_smbus_write_byte(int fd, uint8_t r, uint8_t v) { (void)fd; (void)r; (void)v; return -ENOSYS; }
int ci2c_smbus_read_word(int fd, uint8_t r) { (void)fd; (void)r; return -ENOSYS; }
int ci2c_smbus_write_word(int fd, uint8_t r, uint16_t v) { (void)fd; (void)r; (void)v; return -ENOSYS; }
#endif
