#!/bin/sh
# Interop: Wireshark's SIP and SDP dissectors (tshark) decode a SIP INVITE
# whose SDP offer our negotiation built (imsms sdp offer): the media
# profiles it chose, the a=key-mgmt with the MIKEY message inside (every
# MIKEY field equal to what we encoded), and the a=crypto tag, suite,
# master key and salt as we wrote them (as `imsms sdes parse` reads them
# back); then an RFC 5939 fallback offer and the 200 OK answer, with no
# malformed packet and no expert item anywhere.
#
# Wireshark decodes MIKEY only from a session-level a=key-mgmt, so the
# first offer uses --session-key-mgmt (IMSMS_SDP_F_SESSION_KEY_MGMT).
# Recipe: shared/reference/interop.md (SDP route). Skips (exit 77) only
# when tshark is not installed; CI installs it.
set -eu
top_builddir=${top_builddir:-.}
gen="$top_builddir/tests/interop/gen_mikey_msgs"
imsms="$top_builddir/examples/imsms/imsms"

if ! command -v tshark >/dev/null 2>&1 || ! command -v text2pcap >/dev/null 2>&1; then
  echo "tshark-sdp: SKIP: tshark is not installed (apt-get install tshark)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "tshark-sdp: $*"; exit 1; }
"$gen" "$work"

printf 'v=0\r\no=alice 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\nm=message 7394 TCP/MSRP *\r\na=accept-types:text/plain\r\n' \
  > "$work/base.sdp"

# A SIP message ($1: start line) around the SDP file $2, as a pcap $3.
sip_pcap() {
  len=$(wc -c < "$2")
  printf '%s\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\r\nMax-Forwards: 70\r\nTo: <sip:bob@example.net>\r\nFrom: <sip:alice@example.net>;tag=1928301774\r\nCall-ID: a84b4c76e66710@192.0.2.1\r\nCSeq: 314159 INVITE\r\nContact: <sip:alice@192.0.2.1>\r\nContent-Type: application/sdp\r\nContent-Length: %d\r\n\r\n' \
    "$1" "$len" | cat - "$2" > "$3.sip"
  od -Ax -tx1 -v "$3.sip" | text2pcap -q -u 5060,5060 - "$3" 2>/dev/null
}

# Fields of pcap $1 joined by '|' (',' between repeated values).
fields() {
  f=$1
  shift
  args=""
  for e in "$@"; do args="$args -e $e"; done
  # shellcheck disable=SC2086
  tshark -n -r "$f" -T fields -E separator='|' -E aggregator=',' $args \
    2>/dev/null
}

clean() {
  got=$(fields "$1" _ws.malformed _ws.expert.message)
  [ "$got" = "|" ] || fail "$1: malformed or expert items: $got"
}

# 1. e2e for both lines, SDES (e2ae) as the audio alternative.
"$imsms" sdp offer --audio prefer-e2e --message require-e2e --session-key-mgmt \
  --mikey "$work/psk_init_aescm.bin" --sdes AES_CM_128_HMAC_SHA1_80 \
  --out "$work/offer.sdp" "$work/base.sdp" > /dev/null || fail "imsms sdp offer"
sip_pcap "INVITE sip:bob@example.net SIP/2.0" "$work/offer.sdp" "$work/invite.pcap"
got=$(fields "$work/invite.pcap" sip.Method sdp.media.proto sdp.key_mgmt.kmpid \
  sdp.media_attr)
crypto=$(grep '^a=crypto' "$work/offer.sdp" | tr -d '\r' | cut -c3-)
[ "$got" = "INVITE|RTP/SAVP,TCP/TLS/MSRP|mikey|rtpmap:0 PCMU/8000,$crypto,3ge2ae:requested,accept-types:text/plain" ] ||
  fail "SIP/SDP fields: $got"
clean "$work/invite.pcap"

# The MIKEY inside: every field of the message as we encoded it.
n=0
while read -r field value; do
  actual=$(fields "$work/invite.pcap" "$field")
  [ "$actual" = "$value" ] || fail "MIKEY in SDP: $field is '$actual', we encoded '$value'"
  n=$((n + 1))
done < "$work/psk_init_aescm.expect"

# The a=crypto: tag, suite, key and salt as our parser reads them.
"$imsms" sdes parse "$(grep '^a=crypto' "$work/offer.sdp" | tr -d '\r')" \
  > "$work/sdes.out"
want="$(sed -n 's/^tag //p' "$work/sdes.out")|$(sed -n 's/^suite //p' "$work/sdes.out")"
want="$want|$(sed -n 's/^key\[1\]\.key //p' "$work/sdes.out")"
want="$want|$(sed -n 's/^key\[1\]\.salt //p' "$work/sdes.out")"
got=$(fields "$work/invite.pcap" sdp.crypto.tag sdp.crypto.crypto_suite \
  sdp.crypto.master_key sdp.crypto.master_salt)
[ "$got" = "$want" ] || fail "a=crypto: tshark '$got', we wrote '$want'"

# 2. "SRTP with RTP fallback" (RFC 5939): plain profiles, capabilities.
"$imsms" sdp offer --policy allow-none --mikey "$work/psk_init_aescm.bin" \
  --sdes AES_CM_128_HMAC_SHA1_80 --out "$work/fallback.sdp" "$work/base.sdp" \
  > /dev/null || fail "imsms sdp offer (fallback)"
sip_pcap "INVITE sip:bob@example.net SIP/2.0" "$work/fallback.sdp" "$work/fallback.pcap"
got=$(fields "$work/fallback.pcap" sdp.media.proto)
[ "$got" = "RTP/AVP,TCP/MSRP" ] || fail "fallback profiles: $got"
got=$(fields "$work/fallback.pcap" sdp.media_attr | tr ',' '\n' | grep -c '^pcfg:')
[ "$got" = 3 ] || fail "fallback: $got a=pcfg seen"
clean "$work/fallback.pcap"

# 3. The 200 OK: the answerer picks e2e for both lines.
"$imsms" sdp answer --policy prefer-e2e --mikey "$work/psk_resp.bin" \
  --out "$work/answer.sdp" "$work/offer.sdp" "$work/base.sdp" \
  > "$work/answer.out" || fail "imsms sdp answer"
grep -q '^line 1 rtp: e2e-kms (best)' "$work/answer.out" || fail "answer modes"
sip_pcap "SIP/2.0 200 OK" "$work/answer.sdp" "$work/ok.pcap"
got=$(fields "$work/ok.pcap" sip.Status-Code sdp.media.proto)
[ "$got" = "200|RTP/SAVP,TCP/TLS/MSRP" ] || fail "200 OK fields: $got"
clean "$work/ok.pcap"

echo "tshark-sdp: INVITE (SIP, SDP, $n MIKEY fields, a=crypto), fallback offer and 200 OK decode as written"
