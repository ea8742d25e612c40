/* Placeholder stubs until the PSK commands are implemented. */
#include "imsms.h"

int imsms_cmd_psk_init(int argc, char **argv) {
  (void)argc, (void)argv;
  fputs("imsms psk-init: not implemented yet\n", stderr);
  return 2;
}

int imsms_cmd_psk_resp(int argc, char **argv) {
  (void)argc, (void)argv;
  fputs("imsms psk-resp: not implemented yet\n", stderr);
  return 2;
}

int imsms_cmd_psk_check(const uint8_t *psk, size_t psklen, const uint8_t *msg,
                        size_t msglen) {
  (void)psk, (void)psklen, (void)msg, (void)msglen;
  puts("psk.check not-implemented");
  return 0;
}
