package io.chat4all.hub.simulator.domain;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** An injected fault: which sends it matches, what it does, how many more times it fires. */
public final class Fault {

    private static final int UNLIMITED = -1;

    private final String id;
    private final FaultSpec spec;
    private final double probability;
    private final Duration delay;
    private final AtomicInteger remaining;
    private final AtomicLong fired = new AtomicLong();

    Fault(String id, FaultSpec spec) {
        this.id = id;
        this.spec = spec;
        this.probability = spec.probability() == null ? 1 : spec.probability();
        this.delay = spec.delayMs() == null ? spec.kind().defaultDelay() : Duration.ofMillis(spec.delayMs());
        this.remaining = new AtomicInteger(spec.times() == null ? UNLIMITED : spec.times());
    }

    /**
     * How a fault is listed.
     *
     * @param remaining how many more sends it fires on; null when unlimited
     * @param fired     how many sends it fired on so far
     */
    public record View(String faultId, Channel channel, String recipient, FaultKind kind, Integer times,
                       Integer remaining, double probability, long delayMs, long fired) {
    }

    public String id() {
        return id;
    }

    public FaultKind kind() {
        return spec.kind();
    }

    public Duration delay() {
        return delay;
    }

    boolean matches(Channel channel, String recipient) {
        return (spec.channel() == null || spec.channel() == channel)
                && (spec.recipient() == null || spec.recipient().equals(recipient));
    }

    /** Rolls the probability and takes one of the remaining times; true when the fault fires. */
    boolean tryFire() {
        if (probability < 1 && ThreadLocalRandom.current().nextDouble() >= probability) {
            return false;
        }
        int left = remaining.getAndUpdate(n -> n > 0 ? n - 1 : n);
        if (left == 0) {
            return false;
        }
        fired.incrementAndGet();
        return true;
    }

    View view() {
        int left = remaining.get();
        return new View(id, spec.channel(), spec.recipient(), spec.kind(), spec.times(),
                left == UNLIMITED ? null : left, probability, delay.toMillis(), fired.get());
    }
}
