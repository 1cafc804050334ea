package io.chat4all.hub.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.localstack.junit.SteppingClock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.health.application.LivenessStateHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

class CachedHealthIndicatorsTest {

    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-12-08T00:00:00Z"));
    private final CachedHealthIndicators cache = new CachedHealthIndicators(Duration.ofSeconds(2), clock);

    @Test
    void shouldProbeOncePerIntervalWhateverTheNumberOfCallers() {
        AtomicInteger probes = new AtomicInteger();
        HealthIndicator indicator = wrap(() -> Health.status(probes.incrementAndGet() % 2 == 1 ? Status.UP : Status.DOWN).build());

        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        for (int i = 0; i < 50; i++) {
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        }
        assertThat(probes).hasValue(1);

        clock.advance(Duration.ofMillis(2_001));
        assertThat(indicator.health().getStatus()).as("a fresh probe once the result is older than the TTL").isEqualTo(Status.DOWN);
        assertThat(probes).hasValue(2);
    }

    @Test
    void shouldRunOneProbeAtATimeWhileOthersWait() throws Exception {
        AtomicInteger probes = new AtomicInteger();
        CountDownLatch probing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HealthIndicator indicator = wrap(() -> {
            probes.incrementAndGet();
            probing.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Health.up().build();
        });
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Health>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(callers.submit(() -> indicator.health()));
            }
            assertThat(probing.await(10, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            for (Future<Health> answer : answers) {
                assertThat(answer.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(Status.UP);
            }
            assertThat(probes).as("8 concurrent health requests, one probe").hasValue(1);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void shouldLeaveAvailabilityStatesAndAZeroTtlAlone() {
        ApplicationAvailability availability = new ApplicationAvailabilityBean();
        LivenessStateHealthIndicator liveness = new LivenessStateHealthIndicator(availability);
        assertThat(cache.postProcessAfterInitialization(liveness, "livenessStateHealthIndicator")).isSameAs(liveness);

        HealthIndicator probe = () -> Health.up().build();
        assertThat(new CachedHealthIndicators(Duration.ZERO, clock).postProcessAfterInitialization(probe, "probe"))
                .isSameAs(probe);
        Object wrapped = cache.postProcessAfterInitialization(probe, "probe");
        assertThat(wrapped).isNotSameAs(probe);
        assertThat(cache.postProcessAfterInitialization(wrapped, "probe")).as("never wrapped twice").isSameAs(wrapped);
    }

    @Test
    void shouldCloseWhatItWraps() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        class Closing implements HealthIndicator, AutoCloseable {
            @Override
            public Health health() {
                return Health.up().build();
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        }
        ((CachedHealthIndicators.Cached) cache.postProcessAfterInitialization(new Closing(), "closing")).destroy();
        assertThat(closed).hasValue(1);
    }

    private HealthIndicator wrap(HealthIndicator indicator) {
        return (HealthIndicator) cache.postProcessAfterInitialization(indicator, "probe");
    }
}
