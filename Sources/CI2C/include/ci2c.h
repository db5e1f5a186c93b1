#ifndef KNEELOAD_CI2C_H
#define KNEELOAD_CI2C_H

/* A thin C layer over Linux's i2c-dev: the ioctls and libi2c's SMBus calls, so the Swift side never
 * mirrors kernel structs by hand. Every function returns 0 (or a non-negative value) on success and
 * -errno on failure; none of them prints or aborts. */

#include <stdint.h>
#include <stddef.h>

/* Functionality bits from <linux/i2c.h>, re-exported so Swift can test them without the kernel header. */
extern const unsigned long ci2c_func_i2c;
extern const unsigned long ci2c_func_smbus_read_i2c_block;
extern const unsigned long ci2c_func_smbus_write_i2c_block;
extern const unsigned long ci2c_func_smbus_byte_data;
extern const unsigned long ci2c_func_smbus_word_data;

/* Largest block libi2c moves in one SMBus I2C-block transfer (I2C_SMBUS_BLOCK_MAX). */
extern const int ci2c_smbus_block_max;

int ci2c_open(const char *path);
int ci2c_close(int fd);
int ci2c_functionality(int fd, unsigned long *funcs);
int ci2c_select(int fd, uint16_t address);

/* Plain I2C: one combined transfer (write register, repeated start, read len bytes). */
int ci2c_rdwr_read(int fd, uint16_t address, uint8_t reg, uint8_t *buf, uint16_t len);
/* Plain I2C: one write of register then data. */
int ci2c_rdwr_write(int fd, uint16_t address, uint8_t reg, const uint8_t *buf, uint16_t len);

/* SMBus, on the address last selected with ci2c_select. */
int ci2c_smbus_read_block(int fd, uint8_t reg, uint8_t *buf, uint8_t len);
int ci2c_smbus_write_block(int fd, uint8_t reg, const uint8_t *buf, uint8_t len);
int ci2c_smbus_send_byte(int fd, uint8_t value);
int ci2c_smbus_read_byte(int fd, uint8_t reg);
int ci2c_smbus_write_byte(int fd, uint8_t reg, uint8_t value);
int ci2c_smbus_read_word(int fd, uint8_t reg);
int ci2c_smbus_write_word(int fd, uint8_t reg, uint16_t value);

#endif
