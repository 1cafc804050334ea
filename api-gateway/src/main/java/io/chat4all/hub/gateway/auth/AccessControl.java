package io.chat4all.hub.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chat4all.hub.gateway.auth.AccessRepository.KeyAccess;
import io.chat4all.hub.gateway.auth.AccessRepository.UserAccess;
import io.chat4all.hub.gateway.core.GatewayProperties;
import io.chat4all.hub.gateway.core.HubPrincipal;
import io.chat4all.hub.gateway.core.Jdbc;
import io.chat4all.hub.gateway.core.Role;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Whether an authenticated principal may still call, checked on every request after the
 * signature or key lookup (which {@link AuthenticationCache} remembers): a token is refused once
 * signed out, once its user's token version moved on (logout everywhere, a role change, disabled,
 * erased) or when its user is no longer active; an API key once revoked or expired, or when its
 * owner is no longer an active admin.
 *
 * <p>The state lives in memory: one map lookup per request. An instance loads a user or key the
 * first time it sees it and learns every change from the database by polling the rows changed
 * since its last poll ({@code HUB_ACCESS_POLL}, 1 s), re-reading {@value #OVERLAP_SECONDS} s back
 * so a change whose transaction committed late is not missed. A change made through this instance
 * applies here at once; on the others within a poll. After each poll, {@link Listener}s (open
 * streams) check again who is still allowed and whose token expired.
 */
@Component
public class AccessControl {

    private static final Logger log = LoggerFactory.getLogger(AccessControl.class);
    private static final long OVERLAP_SECONDS = 30;
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    /** Something holding principals beyond one request (a stream): told to check them again. */
    public interface Listener {
        void revalidate(AccessControl access);
    }

    /** Why a principal that authenticated may not go on. */
    public enum Refusal {
        /** The token's own {@code exp} passed. */
        EXPIRED,
        /** Signed out, revoked, disabled, demoted or erased. */
        REVOKED
    }

    private final AccessRepository repository;
    private final Jdbc jdbc;
    private final ObjectProvider<Listener> listeners;
    private final Clock clock;
    private final Cache<UUID, UserAccess> users;
    private final Cache<UUID, KeyAccess> keys;
    /** Signed-out tokens until they expire. */
    private final Map<UUID, Instant> revokedTokens = new ConcurrentHashMap<>();
    private final Counter refused;
    private volatile Instant watermark;
    private volatile Instant lastPoll = Instant.EPOCH;
    private volatile Instant lastPrune = Instant.EPOCH;
    private volatile boolean failing;

    AccessControl(AccessRepository repository, Jdbc jdbc, ObjectProvider<Listener> listeners, GatewayProperties properties,
                  MeterRegistry meters) {
        this.repository = repository;
        this.jdbc = jdbc;
        this.listeners = listeners;
        this.clock = Clock.systemUTC();
        this.users = Caffeine.newBuilder().maximumSize(properties.access().cacheSize()).build();
        this.keys = Caffeine.newBuilder().maximumSize(properties.access().cacheSize()).build();
        this.refused = Counter.builder("hub.gateway.access.refused")
                .description("Authenticated requests refused because access was revoked (signed out, disabled, demoted, key revoked or expired)")
                .register(meters);
        Gauge.builder("hub.gateway.access.staleness", this, a -> Duration.between(a.lastPoll, a.clock.instant()).toMillis() / 1000.0)
                .description("Seconds since this instance last learned access changes (revocations reach it within this)")
                .baseUnit("seconds").register(meters);
    }

    /**
     * The authentication to go on with, or an error (401) when access was taken back. For an API
     * key the principal is rebuilt from the key's current owner, so a reassigned key acts for its
     * new owner at once.
     */
    public Mono<Authentication> verify(Authentication authentication) {
        HubPrincipal principal = (HubPrincipal) authentication.getPrincipal();
        Mono<Void> ready = watermark != null ? Mono.empty() : jdbc.call(() -> {
            initialize();
            return true;
        }).then();
        return ready.then(Mono.defer(() -> {
            if (principal.credential() instanceof HubPrincipal.Token token) {
                return userAccess(principal.userId()).flatMap(user -> {
                    Optional<Refusal> refusal = refusal(token, user, clock.instant());
                    return refusal.isEmpty() ? Mono.just(authentication) : refuse(refusal.get());
                });
            }
            HubPrincipal.Key key = (HubPrincipal.Key) principal.credential();
            return keyAccess(key.keyId()).flatMap(state -> userAccess(state.ownerId()).flatMap(owner -> {
                Optional<Refusal> refusal = refusal(state, owner, clock.instant());
                if (refusal.isPresent()) {
                    return refuse(refusal.get());
                }
                return Mono.just(state.ownerId().equals(principal.userId()) ? authentication : authenticated(integrator(state)));
            }));
        }));
    }

    /**
     * From memory only (for open streams, checked after every poll): why {@code principal} may no
     * longer go on, or empty. A user or key this instance does not hold is given the benefit of
     * the doubt until its next request.
     */
    public Optional<Refusal> refusal(HubPrincipal principal) {
        Instant now = clock.instant();
        if (principal.credential() instanceof HubPrincipal.Token token) {
            return refusal(token, users.getIfPresent(principal.userId()), now);
        }
        KeyAccess state = keys.getIfPresent(((HubPrincipal.Key) principal.credential()).keyId());
        return state == null ? Optional.empty() : refusal(state, users.getIfPresent(state.ownerId()), now);
    }

    /** A principal for an API key as it stands now. */
    static HubPrincipal integrator(KeyAccess key) {
        return new HubPrincipal(key.ownerId(), "api-key:" + key.name(), Role.INTEGRATOR, new HubPrincipal.Key(key.keyId()));
    }

    static UsernamePasswordAuthenticationToken authenticated(HubPrincipal principal) {
        return UsernamePasswordAuthenticationToken.authenticated(principal, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + principal.role().name())));
    }

    /** Remembers a key just looked up by its hash. */
    void remember(KeyAccess key) {
        keys.put(key.keyId(), key);
    }

    /** Applies a change made through this instance here at once (the others learn it by polling). */
    public void changed(UserAccess user) {
        users.put(user.userId(), user);
        notifyListeners();
    }

    /** Applies a change made through this instance here at once. */
    public void changed(KeyAccess key) {
        keys.put(key.keyId(), key);
        notifyListeners();
    }

    /** A token signed out through this instance: refused here at once. */
    public void signedOut(UUID tokenId, Instant expiresAt) {
        revokedTokens.put(tokenId, expiresAt);
        notifyListeners();
    }

    @Scheduled(fixedDelayString = "${hub.gateway.access.poll:1s}")
    void poll() {
        try {
            if (watermark == null) {
                initialize();
            }
            AccessRepository.Changes changes = repository.changedSince(watermark.minusSeconds(OVERLAP_SECONDS));
            changes.users().forEach(user -> users.put(user.userId(), user));
            changes.keys().forEach(key -> keys.put(key.keyId(), key));
            changes.tokens().forEach(token -> revokedTokens.put(token.tokenId(), token.expiresAt()));
            watermark = changes.readAt();
            Instant now = clock.instant();
            lastPoll = now;
            revokedTokens.values().removeIf(expiresAt -> expiresAt.isBefore(now));
            if (lastPrune.plus(PRUNE_EVERY).isBefore(now)) {
                lastPrune = now;
                int pruned = repository.pruneRevokedTokens();
                log.debug("forgot {} signed-out tokens that expired", pruned);
            }
            if (failing) {
                failing = false;
                log.info("access changes are read again; revocations reach this instance again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("cannot read access changes ({}); revocations made through other instances are not applied here"
                        + " until it works again", e.toString());
            }
        }
        notifyListeners();
    }

    private synchronized void initialize() {
        if (watermark != null) {
            return;
        }
        Instant since = repository.now();
        repository.revokedTokens().forEach(token -> revokedTokens.put(token.tokenId(), token.expiresAt()));
        watermark = since;
        lastPoll = clock.instant();
    }

    private void notifyListeners() {
        listeners.orderedStream().forEach(listener -> {
            try {
                listener.revalidate(this);
            } catch (RuntimeException e) {
                log.warn("revalidating open streams failed: {}", e.toString());
            }
        });
    }

    private Optional<Refusal> refusal(HubPrincipal.Token token, UserAccess user, Instant now) {
        if (!now.isBefore(token.expiresAt())) {
            return Optional.of(Refusal.EXPIRED);
        }
        if (revokedTokens.containsKey(token.tokenId())
                || user != null && (!user.active() || user.tokenVersion() != token.version())) {
            return Optional.of(Refusal.REVOKED);
        }
        return Optional.empty();
    }

    private static Optional<Refusal> refusal(KeyAccess key, UserAccess owner, Instant now) {
        if (key.expiresAt() != null && !now.isBefore(key.expiresAt())) {
            return Optional.of(Refusal.EXPIRED);
        }
        if (key.revoked() || owner != null && (!owner.active() || owner.role() != Role.ADMIN)) {
            return Optional.of(Refusal.REVOKED);
        }
        return Optional.empty();
    }

    private Mono<UserAccess> userAccess(UUID userId) {
        return held(users, userId, repository::user);
    }

    private Mono<KeyAccess> keyAccess(UUID keyId) {
        return held(keys, keyId, repository::key);
    }

    /** From memory, else loaded once and kept; refused when it does not exist. */
    private <T> Mono<T> held(Cache<UUID, T> cache, UUID id, Function<UUID, Optional<T>> load) {
        T known = cache.getIfPresent(id);
        if (known != null) {
            return Mono.just(known);
        }
        return jdbc.call(() -> load.apply(id)).flatMap(found -> found.map(state -> {
            cache.put(id, state);
            return Mono.just(state);
        }).orElseGet(() -> refuse(Refusal.REVOKED)));
    }

    private <T> Mono<T> refuse(Refusal refusal) {
        refused.increment();
        return Mono.error(new InvalidBearerTokenException(refusal == Refusal.EXPIRED ? "the credential expired"
                : "the credential was revoked"));
    }
}
