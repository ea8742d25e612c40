/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * imsms, the command-line tool: shared declarations of its files. The
 * tool links the shared library and uses only its public headers.
 *
 * Exit statuses of every command: 0 success, 1 the input or an
 * operation failed (a malformed message, a wrong MAC, a library error),
 * 2 bad usage (unknown command or option, bad option value).
 */
#ifndef IMSMS_TOOL_H
#define IMSMS_TOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <imsmediasec/imsmediasec.h>
#include <imsmediasec/mikey.h>

#define IMSMS_EXIT_OK 0
#define IMSMS_EXIT_FAIL 1
#define IMSMS_EXIT_USAGE 2

/* Largest input file the tool reads (1 MiB). */
#define IMSMS_TOOL_MAX_INPUT (1024u * 1024u)

#if defined(__GNUC__) || defined(__clang__)
#  define IMSMS_TOOL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#  define IMSMS_TOOL_PRINTF(f, a)
#endif

/* ---- main.c ---------------------------------------------------------- */

/* Writes the usage summary of every command to |f|. */
void imsms_tool_usage(FILE *f);

/* ---- input.c --------------------------------------------------------- */

/* How the input was recognised. */
typedef enum imsms_tool_format {
  IMSMS_TOOL_FMT_RAW = 0, /* binary MIKEY */
  IMSMS_TOOL_FMT_HEX,     /* hex text */
  IMSMS_TOOL_FMT_BASE64,  /* base64 text */
  IMSMS_TOOL_FMT_SDP      /* SDP or a SIP message: a=key-mgmt:mikey lines */
} imsms_tool_format;

/*
 * One MIKEY message found in the input. |err| is 0, or the error that
 * kept its bytes from being extracted (IMSMS_ERR_BASE64 for a bad
 * a=key-mgmt line); |data| is then NULL. |line| is the 1-based line of
 * the a=key-mgmt attribute (SDP input) or 0.
 */
typedef struct imsms_tool_msg {
  uint8_t *data;
  size_t len;
  int err;
  size_t line;
} imsms_tool_msg;

/* Every message of one input. */
typedef struct imsms_tool_input {
  imsms_tool_format format;
  imsms_tool_msg *msgs;
  size_t nmsgs;
} imsms_tool_input;

/*
 * Reads |path| ("-" or NULL: standard input) completely into a new
 * NUL-terminated buffer |*buf| of |*len| bytes (the NUL not counted).
 * Returns 0, or -1 after printing the reason to stderr (cannot open or
 * read, or larger than IMSMS_TOOL_MAX_INPUT).
 */
int imsms_tool_read_file(const char *path, uint8_t **buf, size_t *len);

/*
 * Reads |path| as imsms_tool_read_file() does, recognises its format
 * (raw MIKEY, hex, base64, SDP/SIP) and fills |in| with the MIKEY
 * messages it carries (at least one). Returns 0, or -1 after printing
 * the reason to stderr. Free |in| with imsms_tool_input_free().
 */
int imsms_tool_input_load(const char *path, imsms_tool_input *in);

/* Frees the messages of |in| (wiping them) and zeroes it. */
void imsms_tool_input_free(imsms_tool_input *in);

/* Returns the name of |f|: "raw", "hex", "base64" or "sdp". */
const char *imsms_tool_format_name(imsms_tool_format f);

/*
 * Decodes the hex string |s| (an even number of hex digits, either case,
 * nothing else; "" gives 0 bytes) into a new buffer |*out| of |*outlen|
 * bytes (a 1-byte buffer when empty, so |*out| is never NULL). Returns
 * 0, or -1 when |s| is not hex or memory runs out. Wipe and free |*out|.
 */
int imsms_tool_hex_decode(const char *s, uint8_t **out, size_t *outlen);

/* Writes |len| bytes of |p| as lowercase hex (nothing when |len| is 0). */
void imsms_tool_hex_write(FILE *f, const uint8_t *p, size_t len);

/* ---- print.c --------------------------------------------------------- */

/*
 * Prints the decoded |msg| to |f| as "name value" lines: msg.*, hdr.*,
 * hdr.cs[N].*, payload[N].*, and the payload chains nested in TP, TICKET
 * and NULL-encrypted KEMAC payloads. Returns 0, or the first error met in
 * a nested structure (it was also printed as a "<prefix>error" line).
 */
int imsms_tool_print_msg(FILE *f, const imsms_mikey_msg *msg);

/*
 * For a message imsms_mikey_decode() rejected: prints as much of its
 * header and payload chain as decodes, so the line before the error
 * shows where the message breaks. Prints nothing if the header does not
 * decode.
 */
void imsms_tool_print_partial(FILE *f, const uint8_t *data, size_t len);

/* Name of SRTP policy parameter |type| as decode prints it, or NULL. */
const char *imsms_tool_srtp_param_name(unsigned type);

/* Prints "<prefix>error <IMSMS_ERR name> <imsms_strerror text>". */
void imsms_tool_print_error(FILE *f, const char *prefix, int code);

/* ---- cmd_decode.c ---------------------------------------------------- */

/*
 * Returns the enum name of an IMSMS_ERR_* code ("IMSMS_ERR_TRUNCATED"),
 * "OK" for 0, or "IMSMS_ERR_UNKNOWN" for other values.
 */
const char *imsms_tool_err_name(int code);

/* imsms decode [--psk HEX] [FILE|-] */
int imsms_cmd_decode(int argc, char **argv);

/* ---- cmd_prf.c ------------------------------------------------------- */

/* imsms prf --prf mikey-1|hmac-sha256 --inkey HEX --label HEX --len N */
int imsms_cmd_prf(int argc, char **argv);

/* ---- cmd_psk.c ------------------------------------------------------- */

/* imsms psk-init ... (see man/imsms.1); |argv[0]| is "psk-init". */
int imsms_cmd_psk_init(int argc, char **argv);

/* imsms psk-resp ... (see man/imsms.1); |argv[0]| is "psk-resp". */
int imsms_cmd_psk_resp(int argc, char **argv);

/*
 * Checks the MAC of the PSK-protected message |msg| (|msglen| bytes, one
 * message imsms_mikey_decode() accepted) with the pre-shared key |psk|.
 * May print "name value" lines of its own to stdout. Returns 0 when the
 * MAC is right, or a negative IMSMS_ERR_* code (IMSMS_ERR_MIKEY_AUTH for
 * a wrong MAC); imsms decode then prints "mac ok" or the error.
 */
int imsms_cmd_psk_check(const uint8_t *psk, size_t psklen, const uint8_t *msg,
                        size_t msglen);

/* ---- cmd_keys.c ------------------------------------------------------ */

/* imsms srtp-kdf --suite NAME --key HEX --salt HEX [--kdr N --index HEX] */
int imsms_cmd_srtp_kdf(int argc, char **argv);

/* imsms derive --prf ... --tgk HEX --cs N (--csb HEX --rand HEX | --ticket-label ...) */
int imsms_cmd_derive(int argc, char **argv);

/* imsms gba --ks HEX --rand HEX --impi S --naf-fqdn S */
int imsms_cmd_gba(int argc, char **argv);

/* imsms sdes parse LINE | imsms sdes generate --suite NAME [--tag N] */
int imsms_cmd_sdes(int argc, char **argv);

/* ---- cmd_sdp.c -------------------------------------------------------- */

/* imsms sdp offer|answer|inspect ... */
int imsms_cmd_sdp(int argc, char **argv);

#endif /* IMSMS_TOOL_H */
