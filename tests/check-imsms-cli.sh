#!/bin/sh
# The imsms tool end to end: every input format of decode, exit statuses
# and error names, prf against a known answer (tests/kat/mikey_prf.h, from
# an independent implementation), and psk-init -> psk-resp -> decode --psk.
set -eu
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
imsms="$top_builddir/examples/imsms/imsms"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check-imsms-cli: $*"; exit 1; }

offer=AQAFgM0XflABAAAAAAAAAAAAAAsAyONQ6gAAAAAGEEoo2pee4hp2UaDX8ZE22YwKAAAPZG9uYWxkQGR1Y2suY29tAQAAAAAAAQAk0JKpgaVkDaawi9whVBtBt0KZ14ymNuu62+Nv3ozPLygwK/GbAV9iemnGUIZ19fWQUOSrzKTAv9zV
echo "$offer" > "$work/offer.b64"
printf 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 49000 RTP/SAVP 0\r\na=key-mgmt:mikey %s\r\n' "$offer" > "$work/offer.sdp"
printf 'INVITE sip:bob@example.net SIP/2.0\r\nContent-Type: application/sdp\r\n\r\n' | cat - "$work/offer.sdp" > "$work/invite.sip"

for f in offer.b64 offer.sdp invite.sip; do
  "$imsms" decode "$work/$f" > "$work/$f.out" || fail "decode $f failed"
  grep -qx 'hdr.csb_id cd177e50' "$work/$f.out" || fail "$f: csb id"
  grep -qx 'payload\[1\].ts_value c8e350ea00000000' "$work/$f.out" || fail "$f: T"
  grep -qx 'payload\[3\].data donald@duck.com' "$work/$f.out" || fail "$f: ID"
  grep -qx 'payload\[5\].encr_len 36' "$work/$f.out" || fail "$f: KEMAC"
done
cmp -s "$work/offer.b64.out" "$work/offer.sdp.out" || fail "SDP and base64 differ"

# A truncated message: exit 1 and the error's name.
printf '%s' "$offer" | cut -c1-100 > "$work/short.b64"
if "$imsms" decode "$work/short.b64" > "$work/short.out" 2>&1; then
  fail "truncated message accepted"
fi
grep -q '^error IMSMS_ERR_' "$work/short.out" || fail "no error name printed"
if "$imsms" nonsense 2>/dev/null; then fail "unknown command accepted"; fi

# prf: the first vector of tests/kat/mikey_prf.h.
out=$("$imsms" prf --prf mikey-1 --inkey 09141f2a35404b56616c77828d98a3ae \
      --label 2ad01c6401a0abb6c1010c17222d38434e59646f7a85909ba6 --len 14)
[ "$out" = b846d465d13b6cbb5aa268b57b17 ] || fail "prf gave $out"

# psk-init -> psk-resp -> decode --psk, and a wrong key.
psk=000102030405060708090a0b0c0d0e0f
"$imsms" psk-init --psk $psk --csb 5eed0001 --t eb8a2c8012345678 \
  --rand 101112131415161718191a1b1c1d1e1f --tgk a0a1a2a3a4a5a6a7a8a9aaabacadaeaf \
  --idi alice@example.net --idr sip:bob@example.net --base64 > "$work/init.b64"
"$imsms" decode --psk $psk "$work/init.b64" > "$work/init.out" || fail "mac check"
grep -qx 'kemac.key\[1\].key a0a1a2a3a4a5a6a7a8a9aaabacadaeaf' "$work/init.out" ||
  fail "decrypted TGK not shown"
grep -qx 'mac ok' "$work/init.out" || fail "no mac ok"
if "$imsms" decode --psk 00 "$work/init.b64" > "$work/bad.out"; then
  fail "wrong PSK accepted"
fi
grep -q 'IMSMS_ERR_MIKEY_AUTH' "$work/bad.out" || fail "wrong PSK not reported"
"$imsms" psk-resp --psk $psk --init "$work/init.b64" --idr sip:bob@example.net \
  > "$work/resp.hex" || fail "psk-resp"
"$imsms" decode "$work/resp.hex" | grep -qx 'hdr.data_type 1 (PSK_RESP)' ||
  fail "psk-resp output"
if "$imsms" psk-resp --psk 00 --init "$work/init.b64" 2>/dev/null; then
  fail "psk-resp with a wrong PSK"
fi
# srtp-kdf: RFC 3711 B.3 and the libsrtp SRTCP keys (byte 7), then byte 9.
"$imsms" srtp-kdf --suite AES_CM_128_HMAC_SHA1_80 \
  --key e1f97a0d3e018be0d64fa32c06de4139 --salt 0ec675ad498afeebb6960b3aabe6 \
  > "$work/kdf.out" || fail "srtp-kdf"
grep -qx 'srtp-cipher-key c61e7a93744f39ee10734afe3ff7a087' "$work/kdf.out" ||
  fail "srtp-kdf cipher key"
grep -qx 'srtp-auth-key cebe321f6ff7716b6fd4ab49af256a156d38baa4' "$work/kdf.out" ||
  fail "srtp-kdf auth key"
grep -qx 'srtcp-cipher-key 4c1aa45a81f73d61c800bbb00fbb1eaa' "$work/kdf.out" ||
  fail "srtp-kdf srtcp key"
"$imsms" srtp-kdf --suite AES_CM_128_HMAC_SHA1_80 \
  --key e1f97a0d3e018be0d64fa32c06de4139 --salt 0ec675ad498afeebb6960b3aabe6 \
  --srtcp-label-byte 9 | grep -qx 'srtcp-cipher-key bb046c9567d580b55f45def9ec496a8c' ||
  fail "srtp-kdf byte 9"
# NIST ACVP, kdr 1.
"$imsms" srtp-kdf --suite AES_CM_128_HMAC_SHA1_80 \
  --key 8c307f105f79d5d2c26b1a933ae22cd5 --salt 563b4c15458d977b68080242cee1 \
  --kdr 1 --index 08284b49f520 | grep -qx 'srtp-cipher-key a920df50eaa111d03fbe9b203121c07d' ||
  fail "srtp-kdf kdr"
if "$imsms" srtp-kdf --suite AES_CM_128_HMAC_SHA1_80 --key 00 --salt 00 2>/dev/null; then
  fail "srtp-kdf accepted a 1-byte key"
fi

# derive: both label families give a 16-byte TEK and a 14-byte salt.
"$imsms" derive --tgk 000102030405060708090a0b0c0d0e0f --cs 1 --csb 01020304 \
  --rand 00112233445566778899aabbccddeeff | grep -q '^salt [0-9a-f]\{28\}$' ||
  fail "derive 3830"
"$imsms" derive --prf hmac-sha256 --tgk 000102030405060708090a0b0c0d0e0f --cs 1 \
  --ticket-label --randri 00112233445566778899aabbccddeeff |
  grep -q '^tek [0-9a-f]\{32\}$' || fail "derive 6043"
if "$imsms" derive --tgk 00 --cs 1 --ticket-label 2>/dev/null; then
  fail "derive without RANDs accepted"
fi

# sdes: the RFC 4568 example parses; a generated line parses back.
"$imsms" sdes parse 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32' \
  > "$work/sdes.out" || fail "sdes parse"
grep -qx 'key\[1\].key 3d2d6e40255e7821426a75667239293f' "$work/sdes.out" ||
  fail "sdes key"
line=$("$imsms" sdes generate --suite AEAD_AES_256_GCM --tag 7) || fail "sdes generate"
"$imsms" sdes parse "$line" | grep -qx 'suite AEAD_AES_256_GCM' || fail "sdes round trip"
if "$imsms" sdes parse '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVB' \
   > "$work/sdes.bad"; then
  fail "short SDES key accepted"
fi
grep -q IMSMS_ERR_SDES_KEY_LENGTH "$work/sdes.bad" || fail "SDES error name"

# gba: two different keys of 32 bytes.
"$imsms" gba --ks 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f \
  --rand 000102030405060708090a0b0c0d0e0f --impi user@ims.example.com \
  --naf-fqdn kms.example.com > "$work/gba.out" || fail "gba"
[ "$(grep -c '^ks-\(int-\)\?naf [0-9a-f]\{64\}$' "$work/gba.out")" = 2 ] || fail "gba output"

# sdp: offer with fallback, answer, inspect both ways, a refusal.
printf 'v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\nm=message 4002 TCP/MSRP *\r\n' \
  > "$work/base.sdp"
echo 0102030405060708 > "$work/ti.hex"
"$imsms" sdp offer --policy allow-none --mikey "$work/ti.hex" \
  --sdes AES_CM_128_HMAC_SHA1_80 --out "$work/offer2.sdp" "$work/base.sdp" \
  > "$work/offer2.out" || fail "sdp offer"
grep -qx 'line 1 rtp: offered e2e-kms,e2ae,none' "$work/offer2.out" || fail "sdp offer modes"
grep -q '^a=pcfg:1 t=1 a=2' "$work/offer2.sdp" || fail "sdp offer capneg"
"$imsms" sdp answer --audio e2ae-only --message require-e2e --mikey "$work/ti.hex" \
  --out "$work/answer2.sdp" "$work/offer2.sdp" "$work/base.sdp" > "$work/answer2.out" ||
  fail "sdp answer"
grep -qx 'line 1 rtp: e2ae (best) offered e2e-kms,e2ae,none pcfg 2 crypto-tag 1' \
  "$work/answer2.out" || fail "sdp answer audio"
grep -qx 'line 2 msrp: e2e-kms (best) offered e2e-kms,none pcfg 1 ids mikey' \
  "$work/answer2.out" || fail "sdp answer message"
"$imsms" sdp inspect --policy allow-none "$work/offer2.sdp" "$work/answer2.sdp" \
  > "$work/read2.out" || fail "sdp inspect answer"
grep -q '^line 1 rtp: e2ae (answered)' "$work/read2.out" || fail "sdp read audio"
"$imsms" sdp inspect --policy require-e2e "$work/base.sdp" > "$work/req.out" ||
  fail "sdp inspect"
grep -qx 'line 1 rtp: refused (e2e-required) offered none' "$work/req.out" ||
  fail "sdp refusal"
if "$imsms" sdp offer --policy require-e2e "$work/base.sdp" > /dev/null 2>&1; then
  fail "e2e offer without MIKEY accepted"
fi
if "$imsms" sdp offer --policy bogus "$work/base.sdp" 2>/dev/null; then
  fail "bad policy accepted"
fi
# Library errors by name, exit 1: no mode to offer; more lines than the
# tool takes (64, IMSMS_SDP_MAX_MEDIA).
set +e
"$imsms" sdp offer --policy require-e2e "$work/base.sdp" > "$work/nomode.out" 2>&1
st=$?
set -e
[ "$st" -eq 1 ] || fail "sdp offer without a mode: exit $st"
grep -q 'IMSMS_ERR_SDP_NO_MODE' "$work/nomode.out" || fail "sdp error name"
{ printf 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n'
  i=0; while [ $i -lt 65 ]; do printf 'm=audio %d RTP/AVP 0\r\n' $((4000 + 2 * i)); i=$((i + 1)); done
} > "$work/many.sdp"
set +e
"$imsms" sdp offer --policy allow-none --sdes AES_CM_128_HMAC_SHA1_80 \
  "$work/many.sdp" > "$work/many.out" 2>&1
st=$?
set -e
[ "$st" -eq 1 ] || fail "sdp offer of 65 lines: exit $st"
grep -q 'IMSMS_ERR_TOO_LARGE' "$work/many.out" || fail "65 lines: error name"
# Every error code of the library has its name in the tool.
for c in $(sed -n 's/^ *\(IMSMS_ERR_[A-Z0-9_]*\) = -[0-9].*/\1/p' \
    "$top_srcdir/include/imsmediasec/imsmediasec.h"); do
  [ "$c" = IMSMS_ERR_FATAL ] && continue
  grep -q "\"$c\"" "$top_srcdir/examples/imsms/cmd_decode.c" ||
    fail "no name for $c in imsms"
done

echo "check-imsms-cli: decode, prf, psk-init, psk-resp, decode --psk, srtp-kdf, derive, sdes, gba and sdp behave"
