/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * imsms: decode and build MIKEY messages from the command line.
 *
 *   imsms <command> [options]
 *
 * This file only dispatches to the command functions (cmd_*.c).
 */
#include <string.h>

#include "imsms.h"

void imsms_tool_usage(FILE *f) {
  fputs(
      "usage: imsms <command> [options]\n"
      "\n"
      "commands:\n"
      "  decode [--psk HEX] [FILE|-]\n"
      "      decode MIKEY messages (raw, hex, base64, SDP or SIP input)\n"
      "  prf [--prf mikey-1|hmac-sha256] --inkey HEX --label HEX --len N\n"
      "      run the MIKEY PRF and print N bytes of output as hex\n"
      "  psk-init --psk HEX --csb HEX8 --t HEX16 --rand HEX --tgk HEX\n"
      "           [--ssrc HEX8] [--roc HEX8] [--v 0|1] [--idi S] [--idr S]\n"
      "           [--spi HEX] [--sp TYPE=VALUE,...]\n"
      "           [--encr aes-cm-128|aes-cm-256|aes-kw-128|null]\n"
      "           [--mac hmac-sha1|hmac-sha256|null] [--base64]\n"
      "      build an RFC 3830 PSK I_MESSAGE\n"
      "  psk-resp --psk HEX --init FILE [--idr S]\n"
      "           [--mac hmac-sha1|hmac-sha256|null] [--base64]\n"
      "      build the verification message answering an I_MESSAGE\n"
      "  srtp-kdf --suite NAME --key HEX --salt HEX [--kdr N --index HEX]\n"
      "           [--srtcp-index HEX] [--srtcp-label-byte 7|9]\n"
      "      derive the six SRTP/SRTCP session keys (RFC 3711 4.3)\n"
      "  derive [--prf mikey-1|hmac-sha256] --tgk HEX --cs N\n"
      "         (--csb HEX8 --rand HEX | --ticket-label [--randri HEX]\n"
      "         [--randrr HEX]) [--tek-len N] [--salt-len N]\n"
      "      derive a crypto session's TEK and salt from a TGK\n"
      "  gba --ks HEX --rand HEX --impi S --naf-fqdn S\n"
      "      derive Ks_NAF and Ks_int_NAF for a KMS (TS 33.220 B.3)\n"
      "  sdes parse LINE | sdes generate --suite NAME [--tag N]\n"
      "      parse or generate an SDES a=crypto attribute (RFC 4568)\n"
      "  sdp offer [POLICY] [--mikey FILE] [--sdes SUITE]\n"
      "            [--fingerprint FP] [--session-key-mgmt] [--out FILE] BASE\n"
      "  sdp answer [POLICY] [--mikey FILE] [--fingerprint FP]\n"
      "             [--out FILE] OFFER BASE\n"
      "  sdp inspect [POLICY] OFFER [ANSWER]\n"
      "      negotiate media security per media line and print the modes\n"
      "      and reasons; POLICY: [--policy P] [--audio P] [--video P]\n"
      "      [--message P] [--suites S,...], P: require-e2e, prefer-e2e,\n"
      "      e2ae-only, allow-none or modes (e2e-kms,e2e-sdes,e2ae,none)\n"
      "  help\n"
      "      print this summary\n"
      "  --version\n"
      "      print the library version\n"
      "\n"
      "exit status: 0 success, 1 failure, 2 usage error; see imsms(1)\n",
      f);
}

static int print_version(void) {
  const imsms_info *info = imsms_version(0);

  if (info == NULL) {
    fputs("imsms: cannot get the library version\n", stderr);
    return IMSMS_EXIT_FAIL;
  }
  printf("%s\n", info->version_str);
  return IMSMS_EXIT_OK;
}

typedef struct command {
  const char *name;
  int (*run)(int argc, char **argv);
} command;

static const command commands[] = {
    {"decode", imsms_cmd_decode},
    {"prf", imsms_cmd_prf},
    {"psk-init", imsms_cmd_psk_init},
    {"psk-resp", imsms_cmd_psk_resp},
    {"srtp-kdf", imsms_cmd_srtp_kdf},
    {"derive", imsms_cmd_derive},
    {"gba", imsms_cmd_gba},
    {"sdes", imsms_cmd_sdes},
    {"sdp", imsms_cmd_sdp},
};

int main(int argc, char **argv) {
  const char *name;
  size_t i;

  if (argc < 2) {
    imsms_tool_usage(stderr);
    return IMSMS_EXIT_USAGE;
  }
  name = argv[1];
  if (strcmp(name, "--version") == 0) {
    return print_version();
  }
  if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 ||
      strcmp(name, "-h") == 0) {
    imsms_tool_usage(stdout);
    return IMSMS_EXIT_OK;
  }
  for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
    if (strcmp(name, commands[i].name) == 0) {
      /* The command sees itself as argv[0]. */
      return commands[i].run(argc - 1, argv + 1);
    }
  }
  fprintf(stderr, "imsms: unknown command '%s'\n\n", name);
  imsms_tool_usage(stderr);
  return IMSMS_EXIT_USAGE;
}
