/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The bounded reader and writer: values, and that a short buffer fails
 * without moving the cursor or writing anything.
 */
#include <string.h>

#include "core/buf.h"
#include "test_util.h"

static const uint8_t bytes[15] = {0x01, 0x02, 0x03, 0x04, 0x05,
                                  0x06, 0x07, 0x08, 0x09, 0x0a,
                                  0x0b, 0x0c, 0x0d, 0x0e, 0x0f};

START_TEST(test_reader_values) {
  imsms_rbuf r;
  uint8_t u8;
  uint16_t u16;
  uint32_t u32;
  uint64_t u64;
  const uint8_t *view;

  imsms_rbuf_init(&r, bytes, sizeof(bytes));
  ck_assert_int_eq(imsms_rbuf_get_u8(&r, &u8), 0);
  ck_assert_uint_eq(u8, 0x01);
  ck_assert_int_eq(imsms_rbuf_get_u16(&r, &u16), 0);
  ck_assert_uint_eq(u16, 0x0203);
  ck_assert_int_eq(imsms_rbuf_get_u32(&r, &u32), 0);
  ck_assert_uint_eq(u32, 0x04050607);
  ck_assert_int_eq(imsms_rbuf_get_u64(&r, &u64), 0);
  ck_assert(u64 == 0x08090a0b0c0d0e0fULL);
  ck_assert_uint_eq(imsms_rbuf_left(&r), 0);
  ck_assert_int_eq(imsms_rbuf_get_view(&r, &view, 0), 0);
  ck_assert_ptr_eq(view, bytes + sizeof(bytes));
}
END_TEST

/* Every read on every truncation: fails cleanly, cursor unmoved. */
START_TEST(test_reader_truncated) {
  static const size_t need[] = {1, 2, 4, 8, 5};
  imsms_rbuf r;
  size_t len, k;

  for (k = 0; k < sizeof(need) / sizeof(need[0]); k++) {
    for (len = 0; len < need[k]; len++) {
      uint8_t u8;
      uint16_t u16;
      uint32_t u32;
      uint64_t u64;
      const uint8_t *view = NULL;
      int rv;

      imsms_rbuf_init(&r, bytes, len);
      switch (k) {
      case 0:
        rv = imsms_rbuf_get_u8(&r, &u8);
        break;
      case 1:
        rv = imsms_rbuf_get_u16(&r, &u16);
        break;
      case 2:
        rv = imsms_rbuf_get_u32(&r, &u32);
        break;
      case 3:
        rv = imsms_rbuf_get_u64(&r, &u64);
        break;
      default:
        rv = imsms_rbuf_get_view(&r, &view, need[k]);
        ck_assert_ptr_null(view);
        break;
      }
      ck_assert_int_eq(rv, IMSMS_ERR_TRUNCATED);
      ck_assert_ptr_eq(r.pos, bytes);
      ck_assert_uint_eq(imsms_rbuf_left(&r), len);
    }
  }
  /* A length that would wrap a pointer is refused, not followed. */
  imsms_rbuf_init(&r, bytes, 4);
  ck_assert_int_eq(imsms_rbuf_skip(&r, SIZE_MAX), IMSMS_ERR_TRUNCATED);
  ck_assert_int_eq(imsms_rbuf_skip(&r, 4), 0);
  ck_assert_int_eq(imsms_rbuf_skip(&r, 1), IMSMS_ERR_TRUNCATED);
}
END_TEST

START_TEST(test_reader_empty_null) {
  imsms_rbuf r;
  uint8_t u8;

  imsms_rbuf_init(&r, NULL, 0);
  ck_assert_uint_eq(imsms_rbuf_left(&r), 0);
  ck_assert_int_eq(imsms_rbuf_get_u8(&r, &u8), IMSMS_ERR_TRUNCATED);
}
END_TEST

START_TEST(test_writer_values) {
  uint8_t out[23];
  imsms_wbuf w;

  imsms_wbuf_init(&w, out, sizeof(out));
  ck_assert_int_eq(imsms_wbuf_put_u8(&w, 0x01), 0);
  ck_assert_int_eq(imsms_wbuf_put_u16(&w, 0x0203), 0);
  ck_assert_int_eq(imsms_wbuf_put_u32(&w, 0x04050607), 0);
  ck_assert_int_eq(imsms_wbuf_put_u64(&w, 0x08090a0b0c0d0e0fULL), 0);
  ck_assert_int_eq(imsms_wbuf_put_bytes(&w, bytes, 8), 0);
  ck_assert_uint_eq(imsms_wbuf_left(&w), 0);
  ck_assert_mem_eq(out, bytes, 15);
  ck_assert_mem_eq(out + 15, bytes, 8);
  ck_assert_int_eq(imsms_wbuf_put_bytes(&w, NULL, 0), 0);
}
END_TEST

/* Every put into every too-small buffer: NOBUF, nothing written. */
START_TEST(test_writer_nobuf) {
  uint8_t out[8];
  imsms_wbuf w;
  size_t cap;

  for (cap = 0; cap < 8; cap++) {
    memset(out, 0xee, sizeof(out));
    imsms_wbuf_init(&w, out, cap);
    if (cap < 1) {
      ck_assert_int_eq(imsms_wbuf_put_u8(&w, 1), IMSMS_ERR_NOBUF);
    }
    if (cap < 2) {
      ck_assert_int_eq(imsms_wbuf_put_u16(&w, 1), IMSMS_ERR_NOBUF);
    }
    if (cap < 4) {
      ck_assert_int_eq(imsms_wbuf_put_u32(&w, 1), IMSMS_ERR_NOBUF);
    }
    ck_assert_int_eq(imsms_wbuf_put_u64(&w, 1), IMSMS_ERR_NOBUF);
    ck_assert_int_eq(imsms_wbuf_put_bytes(&w, bytes, cap + 1),
                     IMSMS_ERR_NOBUF);
    ck_assert_ptr_eq(w.pos, out);
    ck_assert_uint_eq(out[0], 0xee);
    ck_assert_uint_eq(out[7], 0xee);
  }
}
END_TEST

static Suite *buf_suite(void) {
  Suite *s = suite_create("buf");
  TCase *tc = tcase_create("core");

  tcase_add_test(tc, test_reader_values);
  tcase_add_test(tc, test_reader_truncated);
  tcase_add_test(tc, test_reader_empty_null);
  tcase_add_test(tc, test_writer_values);
  tcase_add_test(tc, test_writer_nobuf);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return imsms_test_run(buf_suite(), "buf"); }
