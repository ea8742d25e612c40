/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A ready default policy for the KMS engine (kms.h): the application
 * fills an imsms_kms_policy from its configuration (users and their
 * PSKs, groups and their members, network functions with a role and a
 * scope, request limits) and plugs it into imsms_kms_callbacks with
 * imsms_kms_policy_callbacks(). TR 33.828 6.1.3: "the nodes requiring
 * media plaintext access should have special authorization to retrieve
 * keys"; the scope says for whose tickets.
 *
 * Rules (each tested in tests/check_kms_policy.c):
 *  - psk_lookup: the message's IDRi/IDRr must be a known user, whose
 *    stored PSK is used (or, for a user added without one, the
 *    application's lookup). A message with IDRpsk goes to the
 *    application's lookup, which must bind the key to the identity;
 *    without one it is refused (IMSMS_ERR_MIKEY_AUTH).
 *  - authorize_request: the requester must be a known user (a network
 *    function added as a user counts: bridges and gateways call too); a
 *    TP asking for forking (I) is denied when forking is not allowed; J
 *    (reuse) and L, M (UE-supplied session keys) are cleared when not
 *    allowed; the validity is clipped to end at most max_validity_sec
 *    after now (the engine then sets K); a TP whose window starts after
 *    that is denied.
 *  - authorize_resolve: the resolver gets the keys, bound to its own
 *    identity, when it is one of the ticket's responders, a member of a
 *    responder group, or a network function whose scope covers the
 *    ticket's IDRi or one of its IDRr; otherwise IMSMS_ERR_KMS_DENIED.
 *  - is_member: the configured groups (used by the engine and by lawful
 *    interception, imsms_kms_li_keys()).
 *
 * Identities compare by ID type and bytes, as in the engine.
 *
 * Scale: identities live in a hash table (seeded from the context's
 * generator), so every decision is a few lookups whatever the number of
 * users; nothing is allocated per message.
 *
 * Threading: the policy has a read-write lock. Its callbacks take it
 * shared, so engines on any number of threads may share one policy; the
 * configuration functions take it exclusively and may be called at any
 * time (provisioning a user while the KMS runs; a change waits for the
 * decisions in progress). The policy's context is
 * used for memory only, by the configuration functions and _del, under
 * the lock: give the policy a context of its own.
 */
#ifndef IMSMEDIASEC_KMS_POLICY_H
#define IMSMEDIASEC_KMS_POLICY_H

#include <imsmediasec/kms.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @struct A KMS policy. Opaque; shared by engines on any threads. */
typedef struct imsms_kms_policy imsms_kms_policy;

/** @enum Roles of network functions that need the media keys. */
typedef enum imsms_kms_nf_role {
  IMSMS_KMS_NF_TRANSCODER = 1,         /**< TR 33.828 4.5 */
  IMSMS_KMS_NF_PSTN_GATEWAY = 2,       /**< TR 33.828 4.6 */
  IMSMS_KMS_NF_APPLICATION_SERVER = 3, /**< TR 33.828 4.7 */
  IMSMS_KMS_NF_CONFERENCE_BRIDGE = 4,  /**< TR 33.828 4.1, req. 23 */
  IMSMS_KMS_NF_VOICEMAIL = 5,          /**< TR 33.828 4.1 */
  IMSMS_KMS_NF_RECORDER = 6            /**< TR 33.828 req. 25 */
} imsms_kms_nf_role;

/** @macro Version of struct imsms_kms_nf described here. */
#define IMSMS_KMS_NF_V1 1

/**
 * @struct
 *
 * A network function: an identity that may resolve tickets it is not a
 * responder of, for the parties its scope covers. It authenticates as a
 * user does: add it with imsms_kms_policy_add_user() too (or let the
 * application's lookup find its key). Zero-initialise and set |version|
 * to IMSMS_KMS_NF_V1. Everything is copied.
 */
typedef struct imsms_kms_nf {
  uint32_t version;
  imsms_id identity;
  int role; /**< imsms_kms_nf_role */
  /** Nonzero: every ticket is in scope. */
  int scope_all;
  /** Identities (users or groups) whose tickets are in scope. */
  const imsms_id *ids;
  size_t nids;
  /** Groups whose members' tickets are in scope (the groups' too). */
  const imsms_id *groups;
  size_t ngroups;
} imsms_kms_nf;

/** @macro Version of struct imsms_kms_limits described here. */
#define IMSMS_KMS_LIMITS_V1 1

/** @macro Limit flag: deny requests for forking tickets (flag I). */
#define IMSMS_KMS_LIMIT_NO_FORKING 0x1u
/** @macro Limit flag: clear flag J (ticket reuse) of every grant. */
#define IMSMS_KMS_LIMIT_NO_REUSE 0x2u
/**
 * @macro
 *
 * Limit flag: clear flags L and M (session keys supplied by a UE, which
 * the KMS never sees) of every grant.
 */
#define IMSMS_KMS_LIMIT_NO_UE_KEYS 0x4u

/**
 * @struct
 *
 * Request limits. Zero-initialise and set |version| to
 * IMSMS_KMS_LIMITS_V1: the zero struct is the engine's own behaviour (no
 * limit), which is also the policy's until imsms_kms_policy_set_limits().
 */
typedef struct imsms_kms_limits {
  uint32_t version;
  /** The latest end of validity, in seconds after the request; 0: none. */
  uint32_t max_validity_sec;
  /** IMSMS_KMS_LIMIT_* flags. */
  uint32_t flags;
} imsms_kms_limits;

/**
 * @function
 *
 * Creates an empty policy in |*ppol|: no users, groups or network
 * functions, no limits, no PSK lookup. |ctx| gives memory and the seed of
 * the hash tables; it must outlive the policy and should be its own.
 * |user_data| is the application's, given back by
 * imsms_kms_policy_get_user_data() and passed to its PSK lookup.
 *
 * Returns 0 or one of the following negative error codes:
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |ppol| or |ctx| is NULL.
 * IMSMS_ERR_NOMEM
 *     Out of memory (or the lock could not be created).
 * IMSMS_ERR_RNG
 *     The context's generator failed.
 */
IMSMS_EXTERN int imsms_kms_policy_new(imsms_kms_policy **ppol, imsms_ctx *ctx,
                                      void *user_data);

/**
 * @function
 *
 * Wipes every stored PSK and frees |pol|; NULL is ignored. No engine may
 * use it any more.
 */
IMSMS_EXTERN void imsms_kms_policy_del(imsms_kms_policy *pol);

/** @function The |user_data| given to imsms_kms_policy_new(), or NULL. */
IMSMS_EXTERN void *imsms_kms_policy_get_user_data(const imsms_kms_policy *pol);

/**
 * @function
 *
 * Adds user |user| with the PSK |psk| (|psklen| bytes, 1 to 256, copied)
 * it shares with the KMS, or with |psk| NULL and |psklen| 0 a user whose
 * PSK the application's lookup gives (imsms_kms_policy_set_psk_lookup()).
 * Adding a user again replaces its PSK.
 *
 * Returns 0 or one of the following negative error codes:
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |pol| or |user| is NULL, the identity is empty or over 65535 bytes,
 *     or |psk| and |psklen| disagree.
 * IMSMS_ERR_KEY_LENGTH
 *     |psklen| is over 256.
 * IMSMS_ERR_TOO_LARGE
 *     The policy holds 2^30 identities already.
 * IMSMS_ERR_NOMEM
 *     Out of memory; the policy is unchanged.
 */
IMSMS_EXTERN int imsms_kms_policy_add_user(imsms_kms_policy *pol,
                                           const imsms_id *user,
                                           const uint8_t *psk, size_t psklen);

/**
 * @function
 *
 * Makes |member| a member of group |group| (creating the group). Adding
 * a membership twice is harmless. The member need not be a user.
 *
 * Returns 0 or IMSMS_ERR_INVALID_ARGUMENT (NULL, an empty or too long
 * identity, a group that is its own member), IMSMS_ERR_TOO_LARGE or
 * IMSMS_ERR_NOMEM (the policy unchanged).
 */
IMSMS_EXTERN int imsms_kms_policy_add_group_member(imsms_kms_policy *pol,
                                                   const imsms_id *group,
                                                   const imsms_id *member);

/**
 * @function
 *
 * Adds network function |nf|, or widens the scope of one added before
 * (the same identity and role; |scope_all| once set stays set), so that
 * a large scope can be given in several calls.
 *
 * Returns 0 or one of the following negative error codes:
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |pol| or |nf| is NULL, an identity is empty or too long, an array
 *     is NULL with a nonzero count, the role is unknown, or another role
 *     than the one this identity was added with.
 * IMSMS_ERR_VERSION
 *     |nf->version| is not IMSMS_KMS_NF_V1.
 * IMSMS_ERR_TOO_LARGE, IMSMS_ERR_NOMEM
 *     As imsms_kms_policy_add_user(); the policy is unchanged.
 */
IMSMS_EXTERN int imsms_kms_policy_add_network_function(imsms_kms_policy *pol,
                                                       const imsms_kms_nf *nf);

/**
 * @function
 *
 * The role of network function |id|, or 0 when |id| is none (for an
 * audit callback that labels resolves by network functions).
 */
IMSMS_EXTERN int imsms_kms_policy_nf_role(imsms_kms_policy *pol,
                                          const imsms_id *id);

/**
 * @function
 *
 * Sets the request limits (copied). Returns 0, IMSMS_ERR_INVALID_ARGUMENT
 * (NULL, an unknown flag) or IMSMS_ERR_VERSION.
 */
IMSMS_EXTERN int imsms_kms_policy_set_limits(imsms_kms_policy *pol,
                                             const imsms_kms_limits *lim);

/**
 * @function
 *
 * Sets the application's PSK lookup, which has the engine's psk_lookup
 * contract (kms.h) and receives the policy's |user_data|. The policy
 * calls it, without its lock held, for messages with IDRpsk and for
 * users added without a PSK. NULL removes it. Returns 0 or
 * IMSMS_ERR_INVALID_ARGUMENT.
 */
IMSMS_EXTERN int imsms_kms_policy_set_psk_lookup(
    imsms_kms_policy *pol,
    imsms_ssize (*lookup)(imsms_kms *kms, const imsms_id *idrpsk,
                          const imsms_id *peer, uint8_t *psk, size_t cap,
                          void *user_data));

/**
 * @function
 *
 * Sets |cb->psk_lookup|, |authorize_request|, |authorize_resolve| and
 * |is_member| to the policy's own, and |cb->version| to
 * IMSMS_KMS_CALLBACKS_V1 when it is 0; the other members are left alone.
 * The engine must then be created with the policy as its |user_data|
 * (imsms_kms_new()): with other user data these callbacks fail with
 * IMSMS_ERR_CALLBACK_FAILURE, and the engine refuses every message with
 * it, unanswered. An audit callback gets the
 * application's data back with imsms_kms_policy_get_user_data(). Returns
 * 0 or IMSMS_ERR_INVALID_ARGUMENT.
 */
IMSMS_EXTERN int imsms_kms_policy_callbacks(imsms_kms_policy *pol,
                                            imsms_kms_callbacks *cb);

#ifdef __cplusplus
}
#endif

#endif /* IMSMEDIASEC_KMS_POLICY_H */
