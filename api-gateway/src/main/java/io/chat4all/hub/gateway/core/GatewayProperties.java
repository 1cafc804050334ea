package io.chat4all.hub.gateway.core;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The gateway's own settings.
 *
 * @param adminUsername username of the administrator created at the first start
 * @param adminPassword its initial password; no default (the local stack generates one)
 * @param nodeId        Snowflake node id of this instance (0..1023), unique per running instance
 * @param jwt           token signing
 * @param maxGroupMembers members a group may have, its creator included ({@code HUB_MAX_GROUP_MEMBERS}); every
 *                      membership change carries the whole member list, so this bounds the size of
 *                      the events and of the router's state
 * @param accept        how {@code POST /v1/messages} claims messages
 * @param authCache     who a token authenticated, remembered per instance
 * @param loginLimits   failed sign-ins allowed before {@code POST /v1/auth/token} answers 429
 * @param access        how revocations reach this instance
 * @param quotas        what one principal may do per period ({@code Quotas})
 */
@ConfigurationProperties("hub.gateway")
public record GatewayProperties(String adminUsername, String adminPassword, int nodeId, Jwt jwt, int maxGroupMembers,
                                Accept accept, AuthCache authCache, LoginLimits loginLimits, Access access,
                                Quotas quotas) {

    /**
     * Allowances per principal and instance, each refilling smoothly over its period; an API key
     * (an integrator serving many users) has its own, larger ones. See docs/operations.md, "Security".
     *
     * @param enabled                      {@code HUB_QUOTAS_ENABLED}; the local stack turns them off for benchmarks
     * @param sendsPerMinute               {@code HUB_QUOTA_SENDS_PER_MINUTE}
     * @param integratorSendsPerMinute     {@code HUB_QUOTA_INTEGRATOR_SENDS_PER_MINUTE}
     * @param conversationsPerHour         {@code HUB_QUOTA_CONVERSATIONS_PER_HOUR}
     * @param integratorConversationsPerHour {@code HUB_QUOTA_INTEGRATOR_CONVERSATIONS_PER_HOUR}
     * @param searchesPerMinute            {@code HUB_QUOTA_SEARCHES_PER_MINUTE}
     * @param integratorSearchesPerMinute  {@code HUB_QUOTA_INTEGRATOR_SEARCHES_PER_MINUTE}
     * @param replaysPerMinute             streams opened with a cursor ({@code HUB_QUOTA_REPLAYS_PER_MINUTE})
     * @param uploadBytesPerDay            {@code HUB_QUOTA_UPLOAD_BYTES_PER_DAY}
     * @param integratorUploadBytesPerDay  {@code HUB_QUOTA_INTEGRATOR_UPLOAD_BYTES_PER_DAY}
     * @param concurrentUploads            uploads started and not finished ({@code HUB_QUOTA_CONCURRENT_UPLOADS})
     * @param integratorConcurrentUploads  {@code HUB_QUOTA_INTEGRATOR_CONCURRENT_UPLOADS}
     */
    public record Quotas(boolean enabled, long sendsPerMinute, long integratorSendsPerMinute, long conversationsPerHour,
                         long integratorConversationsPerHour, long searchesPerMinute, long integratorSearchesPerMinute,
                         long replaysPerMinute, DataSize uploadBytesPerDay, DataSize integratorUploadBytesPerDay,
                         int concurrentUploads, int integratorConcurrentUploads) {

        public Quotas {
            sendsPerMinute = sendsPerMinute <= 0 ? 600 : sendsPerMinute;
            integratorSendsPerMinute = integratorSendsPerMinute <= 0 ? 120_000 : integratorSendsPerMinute;
            conversationsPerHour = conversationsPerHour <= 0 ? 120 : conversationsPerHour;
            integratorConversationsPerHour = integratorConversationsPerHour <= 0 ? 60_000 : integratorConversationsPerHour;
            searchesPerMinute = searchesPerMinute <= 0 ? 60 : searchesPerMinute;
            integratorSearchesPerMinute = integratorSearchesPerMinute <= 0 ? 6_000 : integratorSearchesPerMinute;
            replaysPerMinute = replaysPerMinute <= 0 ? 30 : replaysPerMinute;
            uploadBytesPerDay = uploadBytesPerDay == null || uploadBytesPerDay.toBytes() <= 0 ? DataSize.ofGigabytes(10)
                    : uploadBytesPerDay;
            integratorUploadBytesPerDay = integratorUploadBytesPerDay == null || integratorUploadBytesPerDay.toBytes() <= 0
                    ? DataSize.ofTerabytes(1) : integratorUploadBytesPerDay;
            concurrentUploads = concurrentUploads <= 0 ? 10 : concurrentUploads;
            integratorConcurrentUploads = integratorConcurrentUploads <= 0 ? 1_000 : integratorConcurrentUploads;
        }
    }

    /**
     * Revocation (see {@code AccessControl}).
     *
     * @param poll      how often this instance reads access changes made through others
     *                  ({@code HUB_ACCESS_POLL}): the longest a revoked token or key still works here
     * @param cacheSize users and API keys whose access state is held in memory, each ({@code HUB_ACCESS_CACHE_SIZE})
     */
    public record Access(Duration poll, long cacheSize) {

        public Access {
            poll = poll == null || poll.isNegative() || poll.isZero() ? Duration.ofSeconds(1) : poll;
            cacheSize = cacheSize <= 0 ? 100_000 : cacheSize;
        }
    }

    /**
     * Failed sign-ins allowed per {@code window} (token buckets refilling over it; see
     * {@code LoginThrottle}), per instance.
     *
     * @param perAddress        from one client address, any usernames ({@code HUB_LOGIN_FAILURES_PER_ADDRESS})
     * @param perUserAndAddress for one username from one address ({@code HUB_LOGIN_FAILURES_PER_USER_AND_ADDRESS})
     * @param perUser           for one username from addresses it never signed in from
     *                          ({@code HUB_LOGIN_FAILURES_PER_USER})
     * @param window            how long a full bucket takes to refill ({@code HUB_LOGIN_FAILURE_WINDOW})
     * @param trackedKeys       addresses and usernames tracked at most per kind (least recent forgotten)
     */
    public record LoginLimits(int perAddress, int perUserAndAddress, int perUser, Duration window, long trackedKeys) {

        public LoginLimits {
            perAddress = perAddress <= 0 ? 100 : perAddress;
            perUserAndAddress = perUserAndAddress <= 0 ? 10 : perUserAndAddress;
            perUser = perUser <= 0 ? 100 : perUser;
            window = window == null || window.isNegative() || window.isZero() ? Duration.ofMinutes(15) : window;
            trackedKeys = trackedKeys <= 0 ? 100_000 : trackedKeys;
        }
    }

    /**
     * @param size      tokens remembered at most ({@code HUB_AUTH_CACHE_SIZE}); 0 turns the cache off
     * @param apiKeyTtl how long an API key's lookup by hash is remembered ({@code HUB_AUTH_CACHE_API_KEY_TTL});
     *                  a JWT's signature check until it expires. Revocation is checked on every request
     *                  regardless ({@code AccessControl}).
     */
    public record AuthCache(long size, Duration apiKeyTtl) {

        public AuthCache {
            size = Math.max(0, size);
            apiKeyTtl = apiKeyTtl == null ? Duration.ofSeconds(30) : apiKeyTtl;
        }
    }

    /**
     * Group commit of message claims (see {@code MessageAcceptance}).
     *
     * @param claimThreads statements in flight at once ({@code HUB_ACCEPT_CLAIM_THREADS}); each holds a
     *                     database connection while its batch runs
     * @param maxBatch     requests claimed in one statement at most ({@code HUB_ACCEPT_MAX_BATCH})
     * @param maxWaiting   requests waiting for a claim before new ones get 503 + Retry-After
     *                     ({@code HUB_ACCEPT_MAX_WAITING})
     * @param maxInFlight  acceptances under way (claim, publish, ack) before new ones get 503 +
     *                     Retry-After ({@code HUB_ACCEPT_MAX_IN_FLIGHT})
     */
    public record Accept(int claimThreads, int maxBatch, int maxWaiting, int maxInFlight) {

        public Accept {
            claimThreads = claimThreads <= 0 ? 2 : claimThreads;
            maxBatch = maxBatch <= 0 ? 500 : maxBatch;
            maxWaiting = maxWaiting <= 0 ? 10_000 : maxWaiting;
            maxInFlight = maxInFlight <= 0 ? 20_000 : maxInFlight;
        }
    }

    /**
     * @param keys   {@code kid:secret} pairs, comma separated ({@code HUB_JWT_KEYS}); the last one
     *               signs, all verify, so a new key is added at the end and an old one removed once
     *               its tokens expired. Secrets need at least 32 bytes (HS256).
     * @param ttl    lifetime of an access token
     * @param issuer the {@code iss} claim
     * @param audience the {@code aud} claim tokens are issued for and must carry ({@code HUB_JWT_AUDIENCE})
     * @param allowEphemeralKeys without {@code keys}, sign with a random key of this process instead of
     *               refusing to start ({@code HUB_JWT_ALLOW_EPHEMERAL_KEYS}; for a throwaway
     *               instance only: tokens die with the process and are refused by other instances)
     */
    public record Jwt(String keys, Duration ttl, String issuer, String audience, boolean allowEphemeralKeys) {

        public Jwt {
            ttl = ttl == null ? Duration.ofHours(1) : ttl;
            issuer = issuer == null || issuer.isBlank() ? "chat4all-hub" : issuer;
            audience = audience == null || audience.isBlank() ? "chat4all-hub-api" : audience;
        }

        @Override
        public String toString() {
            return "Jwt[keys=" + (keys == null || keys.isBlank() ? "<unset>" : "<set>") + ", ttl=" + ttl
                    + ", issuer=" + issuer + ", audience=" + audience + ", allowEphemeralKeys=" + allowEphemeralKeys + "]";
        }
    }

    public GatewayProperties {
        jwt = jwt == null ? new Jwt(null, null, null, null, false) : jwt;
        access = access == null ? new Access(null, 0) : access;
        quotas = quotas == null ? new Quotas(true, 0, 0, 0, 0, 0, 0, 0, null, null, 0, 0) : quotas;
        loginLimits = loginLimits == null ? new LoginLimits(0, 0, 0, null, 0) : loginLimits;
        maxGroupMembers = maxGroupMembers <= 0 ? 1000 : maxGroupMembers;
        accept = accept == null ? new Accept(0, 0, 0, 0) : accept;
        authCache = authCache == null ? new AuthCache(10_000, null) : authCache;
    }

    /** Secrets never reach logs. */
    @Override
    public String toString() {
        return "GatewayProperties[adminUsername=" + adminUsername + ", adminPassword="
                + (adminPassword == null || adminPassword.isEmpty() ? "<unset>" : "<set>") + ", nodeId=" + nodeId
                + ", jwt=" + jwt + ", maxGroupMembers=" + maxGroupMembers + ", accept=" + accept + ", authCache=" + authCache
                + ", loginLimits=" + loginLimits + ", access=" + access + ", quotas=" + quotas + "]";
    }
}
