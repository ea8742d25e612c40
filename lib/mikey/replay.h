/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Internal to the library: what the KMS engine may ask of the built-in
 * replay cache besides imsms_replay_check().
 */
#ifndef IMSMS_MIKEY_REPLAY_H
#define IMSMS_MIKEY_REPLAY_H

#include <imsmediasec/mikey.h>

/*
 * Starts loading into the CPU cache the table slot that a later
 * imsms_replay_check() of |id| reads first and, when the cache is full,
 * that of the entry the check will drop. Under load the table is cold
 * (a cache of 65536 entries has a 2 MB table), and the engine checks
 * only after verifying the message's MAC, a few microseconds after it
 * knows the id: prefetching then hides the miss (bench_kms: the probe's
 * load went from about 1.2% of a REQUEST's time to under 0.1%). Reads
 * the table's geometry and the oldest FIFO entry, changes nothing, and
 * skipping it changes no result. Ignores NULL and ids shorter than the
 * cache's.
 */
void imsms_replay_prefetch(const imsms_replay *rc, const uint8_t *id,
                           size_t idlen);

#endif /* IMSMS_MIKEY_REPLAY_H */
