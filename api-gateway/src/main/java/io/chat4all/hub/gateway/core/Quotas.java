package io.chat4all.hub.gateway.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What one principal may do per period, per gateway instance: token buckets (Bucket4j) that hold
 * the period's allowance and refill it smoothly over the period, so a burst up to the allowance
 * passes and a steady stream beyond it gets {@code 429} with how long to wait. A user's buckets are
 * keyed by the user; an API key's by the key (an integrator serves many users, and gets larger
 * allowances). A bucket untouched for its period is forgotten (it would be full again anyway).
 *
 * <p>Per instance, like the sign-in limits: N gateways behind a balancer allow up to N times the
 * allowances. A shared bucket (Bucket4j's PostgreSQL proxy) would add a database round trip to
 * every send, which the accept path was built to avoid.
 */
public final class Quotas {

    /** What is counted. */
    public enum Kind {
        /** {@code POST /v1/messages}. */
        SENDS,
        /** {@code POST /v1/conversations}. */
        CONVERSATIONS,
        /** {@code GET /v1/search}. */
        SEARCHES,
        /** Streams opened with a cursor to replay from (SSE {@code after}/{@code Last-Event-ID}, WebSocket {@code after}/{@code after_seq}). */
        REPLAYS,
        /** Bytes of uploads started ({@code POST /v1/files} {@code size}). */
        UPLOAD_BYTES;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final long TRACKED = 200_000;

    private final GatewayProperties.Quotas settings;
    private final Map<Kind, Cache<String, Bucket>> buckets = new EnumMap<>(Kind.class);
    private final Map<Kind, Counter> exceeded = new EnumMap<>(Kind.class);

    public Quotas(GatewayProperties.Quotas settings, MeterRegistry meters) {
        this.settings = settings;
        for (Kind kind : Kind.values()) {
            buckets.put(kind, Caffeine.newBuilder().maximumSize(TRACKED).expireAfterAccess(period(kind)).build());
            exceeded.put(kind, Counter.builder("hub.gateway.quota.exceeded").tag("quota", kind.wireName())
                    .description("Requests refused with 429 because a principal used up a quota").register(meters));
        }
    }

    /**
     * Takes {@code amount} from {@code principal}'s allowance of {@code kind}.
     *
     * @return empty when allowed (and taken); else how long until it would be (nothing taken)
     */
    public Optional<Duration> take(HubPrincipal principal, Kind kind, long amount) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        boolean integrator = principal.credential() instanceof HubPrincipal.Key;
        long allowance = allowance(kind, integrator);
        if (amount > allowance) {
            exceeded.get(kind).increment();
            return Optional.of(period(kind));
        }
        Bucket bucket = buckets.get(kind).get(key(principal), k -> Bucket.builder()
                .addLimit(limit -> limit.capacity(allowance).refillGreedy(allowance, period(kind))).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(amount);
        if (probe.isConsumed()) {
            return Optional.empty();
        }
        exceeded.get(kind).increment();
        return Optional.of(Duration.ofNanos(Math.max(probe.getNanosToWaitForRefill(), 1_000_000_000L)));
    }

    /** A principal used up a quota: answered 429 with {@link #retryAfter()} as Retry-After. */
    public static final class QuotaExceededException extends RuntimeException {

        private final transient Duration retryAfter;

        QuotaExceededException(Kind kind, Duration retryAfter) {
            super("the " + kind.wireName() + " quota of this caller is used up; retry later");
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /**
     * Takes {@code amount} from {@code principal}'s allowance of {@code kind}.
     *
     * @throws QuotaExceededException when it is used up (nothing taken)
     */
    public void enforce(HubPrincipal principal, Kind kind, long amount) {
        take(principal, kind, amount).ifPresent(wait -> {
            throw new QuotaExceededException(kind, wait);
        });
    }

    /** Gives back what {@link #take} took for a request that then failed for another reason. */
    public void giveBack(HubPrincipal principal, Kind kind, long amount) {
        if (!settings.enabled()) {
            return;
        }
        Bucket bucket = buckets.get(kind).getIfPresent(key(principal));
        if (bucket != null) {
            bucket.addTokens(amount);
        }
    }

    /** Uploads one principal may have started and not finished at once. */
    public int concurrentUploads(HubPrincipal principal) {
        return settings.enabled() ? (principal.credential() instanceof HubPrincipal.Key ? settings.integratorConcurrentUploads()
                : settings.concurrentUploads()) : Integer.MAX_VALUE;
    }

    private long allowance(Kind kind, boolean integrator) {
        return switch (kind) {
            case SENDS -> integrator ? settings.integratorSendsPerMinute() : settings.sendsPerMinute();
            case CONVERSATIONS -> integrator ? settings.integratorConversationsPerHour() : settings.conversationsPerHour();
            case SEARCHES -> integrator ? settings.integratorSearchesPerMinute() : settings.searchesPerMinute();
            case REPLAYS -> settings.replaysPerMinute();
            case UPLOAD_BYTES -> (integrator ? settings.integratorUploadBytesPerDay() : settings.uploadBytesPerDay()).toBytes();
        };
    }

    private static Duration period(Kind kind) {
        return switch (kind) {
            case SENDS, SEARCHES, REPLAYS -> Duration.ofMinutes(1);
            case CONVERSATIONS -> Duration.ofHours(1);
            case UPLOAD_BYTES -> Duration.ofDays(1);
        };
    }

    private static String key(HubPrincipal principal) {
        return principal.credential() instanceof HubPrincipal.Key key ? "k" + key.keyId() : "u" + principal.userId();
    }
}
