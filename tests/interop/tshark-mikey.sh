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

if ! command -v tshark >/dev/null 2>&1 || ! command -v text2pcap >/dev/null 2>&1; then
  echo "tshark-mikey: SKIP: tshark is not installed (apt-get install tshark)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$gen" "$work"
status=0
for m in psk_init_null psk_init_aescm psk_resp error; do
  od -Ax -tx1 -v "$work/$m.bin" | text2pcap -q -u 2269,2269 - "$work/$m.pcap" 2>/dev/null
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
  size=$(wc -c < "$work/$m.bin" | tr -d ' ')
  mikey_size=$(tshark -n -r "$work/$m.pcap" -T pdml 2>/dev/null |
               sed -n 's/.*<proto name="mikey"[^>]* size="\([0-9]*\)".*/\1/p')
  if [ "$mikey_size" != "$size" ]; then
    echo "tshark-mikey: $m: tshark dissected $mikey_size bytes of $size"
    status=1
  fi
  [ $status -eq 0 ] && echo "tshark-mikey: $m: $(wc -l < "$work/$m.expect") fields match"
done
exit $status
