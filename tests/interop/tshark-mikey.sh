#!/bin/sh
# Interop: Wireshark's MIKEY dissector (tshark) decodes the RFC 3830
# messages the library builds (PSK I_MESSAGE with NULL and AES-CM KEMAC,
# verification message, Error message), every field equal to what we
# encoded, no malformed packet and no expert item, and the dissected MIKEY
# length equal to the message length (tshark ignores trailing bytes, so we
# compare sizes ourselves). Recipe: shared/reference/interop.md.
#
# Skips (exit 77) only when tshark is not installed; CI installs it.
set -eu
top_builddir=${top_builddir:-.}
gen="$top_builddir/tests/interop/gen_mikey_msgs"
imsms="$top_builddir/examples/imsms/imsms"

if ! command -v tshark >/dev/null 2>&1 || ! command -v text2pcap >/dev/null 2>&1; then
  echo "tshark-mikey: SKIP: tshark is not installed (apt-get install tshark)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$gen" "$work"

# The same I_MESSAGE from the command line tool, from explicit inputs.
"$imsms" psk-init --psk 696e7465726f702d70736b2d3031323334353637 \
  --csb 5eed0001 --t eb8a2c8012345678 --rand 6d696b65792d72616e642d3132333435 \
  --tgk 00112233445566778899aabbccddeeff --ssrc 01020304 --roc 00000007 \
  --idi alice@example.net --idr bob@example.net \
  --sp 0=1,1=16,2=1,3=20,4=14,5=0,6=0,7=1,8=1,9=0,10=1,11=10,12=0 \
  > "$work/cli.hex"
cp "$work/psk_init_aescm.expect" "$work/cli_psk_init.expect"

# hex text to an od-style dump that text2pcap reads
hexdump_of() {
  tr -d ' \n' < "$1" | fold -w2 | awk '
    { if ((NR - 1) % 16 == 0) printf "%s%06x", (NR > 1 ? "\n" : ""), NR - 1;
      printf " %s", $0 }
    END { printf "\n" }'
}

status=0
od -An -tx1 -v "$work/psk_init_aescm.bin" | tr -d ' \n' > "$work/aescm.hex"
if [ "$(cat "$work/aescm.hex")" != "$(tr -d ' \n' < "$work/cli.hex")" ]; then
  echo "tshark-mikey: imsms psk-init differs from the library's own encoding"
  status=1
fi
for m in psk_init_null psk_init_aescm psk_resp error cli_psk_init; do
  if [ "$m" = cli_psk_init ]; then
    hexdump_of "$work/cli.hex" | text2pcap -q -u 2269,2269 - "$work/$m.pcap" 2>/dev/null
    tr -d ' \n' < "$work/cli.hex" | awk '{ print length($0) / 2 }' > "$work/$m.size"
  else
    wc -c < "$work/$m.bin" | tr -d ' ' > "$work/$m.size"
  fi
  [ "$m" = cli_psk_init ] || od -Ax -tx1 -v "$work/$m.bin" | text2pcap -q -u 2269,2269 - "$work/$m.pcap" 2>/dev/null
  fields=$(cut -d' ' -f1 "$work/$m.expect")
  args=""
  for f in $fields; do args="$args -e $f"; done
  # shellcheck disable=SC2086
  got=$(tshark -n -r "$work/$m.pcap" -T fields -E separator='|' $args \
        -e _ws.malformed -e _ws.expert.message 2>/dev/null)
  i=1
  while read -r field value; do
    actual=$(printf '%s\n' "$got" | cut -d'|' -f$i)
    if [ "$actual" != "$value" ]; then
      echo "tshark-mikey: $m: $field is '$actual', we encoded '$value'"
      status=1
    fi
    i=$((i + 1))
  done < "$work/$m.expect"
  extra=$(printf '%s\n' "$got" | cut -d'|' -f$i-)
  if [ "$extra" != "|" ]; then
    echo "tshark-mikey: $m: malformed or expert items: $extra"
    status=1
  fi
  size=$(cat "$work/$m.size")
  mikey_size=$(tshark -n -r "$work/$m.pcap" -T pdml 2>/dev/null |
               sed -n 's/.*<proto name="mikey"[^>]* size="\([0-9]*\)".*/\1/p')
  if [ "$mikey_size" != "$size" ]; then
    echo "tshark-mikey: $m: tshark dissected $mikey_size bytes of $size"
    status=1
  fi
  [ $status -eq 0 ] && echo "tshark-mikey: $m: $(wc -l < "$work/$m.expect") fields match"
done
exit $status
