package io.chat4all.hub.gateway.realtime;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One open stream of one user: a bounded buffer between the live consumer (one thread, never
 * blocked) and the connection. Events wait here while the connection replays from storage or while
 * the client reads slowly; when the buffer is full the stream is closed with a reason, and the
 * client reconnects with its cursor and replays: memory stays bounded and nothing is lost.
 */
public final class Subscriber {

    /** The client did not keep up: its buffer was full. */
    public static final String SLOW_CONSUMER = "slow_consumer";
    /** The replay could not wait for storage any longer (see {@link Streams}). */
    public static final String STORAGE_BEHIND = "storage_behind";
    /** This gateway instance is stopping. */
    public static final String SHUTTING_DOWN = "shutting_down";
    /** This instance's live consumer failed and was replaced; the stream resumes from its cursor. */
    public static final String RESTARTING = "restarting";
    /** The token the stream was opened with expired: reconnect with a new one (see {@link HeldCredentials}). */
    public static final String TOKEN_EXPIRED = "token_expired";
    /** The caller's access was revoked: signed out, disabled or role changed. */
    public static final String REVOKED = "revoked";

    /** Why the server closed a stream: a code from above and a sentence for people. */
    public record Closing(String code, String detail) {

        public String reason() {
            return code + ": " + detail;
        }
    }

    private final UUID owner;
    private final int capacity;
    /** Linked, grown in small chunks: an idle stream holds almost nothing; {@link #waiting} is the bound. */
    private final Sinks.Many<LiveEvent> events;
    private final Sinks.One<Closing> closing = Sinks.one();
    private final AtomicInteger waiting = new AtomicInteger();

    Subscriber(UUID owner, int capacity) {
        this.owner = owner;
        this.capacity = capacity;
        this.events = Sinks.many().unicast().onBackpressureBuffer(Queues.<LiveEvent>unbounded(16).get());
    }

    public UUID owner() {
        return owner;
    }

    /**
     * Buffers an event for the stream. Messages and status steps are dispatched by different
     * threads, and a sink takes one emitter at a time (a concurrent emit is refused, not queued):
     * emits are serialized here. False when the buffer was full and the stream is closing.
     */
    synchronized boolean offer(LiveEvent event) {
        Sinks.EmitResult result = waiting.get() >= capacity ? Sinks.EmitResult.FAIL_OVERFLOW : events.tryEmitNext(event);
        if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
            close(SLOW_CONSUMER, "more than " + capacity + " events waiting; reconnect with your last cursor");
            return false;
        }
        if (result.isSuccess()) {
            waiting.incrementAndGet();
        }
        return true;
    }

    /** Ends the stream; {@code code} and {@code detail} are told to the client in a last frame where it can be. */
    public void close(String code, String detail) {
        closing.tryEmitValue(new Closing(code, detail));
    }

    /**
     * Live events, buffered from registration on. The buffer is counted here (events offered and
     * not yet taken), so it is bounded also before the stream subscribes, while it replays.
     */
    public Flux<LiveEvent> live() {
        return events.asFlux().doOnNext(event -> waiting.decrementAndGet());
    }

    /** Completes with why, when the server closes this stream. */
    public Mono<Closing> closing() {
        return closing.asMono();
    }

    /** Completes with the reason ({@code code: detail}) when the server closes this stream. */
    public Mono<String> closed() {
        return closing.asMono().map(Closing::reason);
    }
}
