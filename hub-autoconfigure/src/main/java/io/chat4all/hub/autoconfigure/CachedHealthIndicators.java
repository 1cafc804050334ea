package io.chat4all.hub.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.health.application.AvailabilityStateHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Every health indicator that probes something (an engine round trip, a consumer group's lag)
 * answers from a result at most {@code hub.health.cache-ttl} old, and at most one probe per
 * indicator runs at a time: however many health requests arrive (load balancer, orchestrator,
 * monitoring, a script gone wrong), the engines see one probe per indicator per interval.
 * Liveness and readiness states are read as they are (they are memory reads, and a shutdown must
 * show at once).
 */
final class CachedHealthIndicators implements BeanPostProcessor {

    private final Duration ttl;
    private final Clock clock;

    CachedHealthIndicators(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (ttl.isZero() || ttl.isNegative() || !(bean instanceof HealthIndicator indicator)
                || bean instanceof AvailabilityStateHealthIndicator || bean instanceof Cached) {
            return bean;
        }
        return new Cached(indicator, ttl, clock);
    }

    /** One indicator behind its cache; closes what it wraps with the context. */
    static final class Cached implements HealthIndicator, DisposableBean {

        private final HealthIndicator delegate;
        private final Duration ttl;
        private final Clock clock;
        private volatile Health last;
        private volatile Instant expires = Instant.MIN;

        Cached(HealthIndicator delegate, Duration ttl, Clock clock) {
            this.delegate = delegate;
            this.ttl = ttl;
            this.clock = clock;
        }

        @Override
        public Health health() {
            Health cached = last;
            if (cached != null && clock.instant().isBefore(expires)) {
                return cached;
            }
            synchronized (this) {
                if (last != null && clock.instant().isBefore(expires)) {
                    return last;
                }
                Health fresh = delegate.health();
                last = fresh;
                expires = clock.instant().plus(ttl);
                return fresh;
            }
        }

        @Override
        public void destroy() throws Exception {
            if (delegate instanceof DisposableBean disposable) {
                disposable.destroy();
            } else if (delegate instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }

        @Override
        public String toString() {
            return "Cached(" + delegate + ", " + ttl + ")";
        }
    }
}
