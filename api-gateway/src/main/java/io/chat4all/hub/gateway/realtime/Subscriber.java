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

    private final UUID owner;
    private final int capacity;
    /** Linked, grown in small chunks: an idle stream holds almost nothing; {@link #waiting} is the bound. */
    private final Sinks.Many<LiveEvent> events;
    private final Sinks.One<String> closed = Sinks.one();
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
        if (waiting.get() >= capacity) {
            close("slow_consumer", "more than " + capacity + " events waiting; reconnect with your last cursor");
            return false;
        }
        Sinks.EmitResult result = events.tryEmitNext(event);
        if (result.isSuccess()) {
            waiting.incrementAndGet();
        } else if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
            close("slow_consumer", "more than " + capacity + " events waiting; reconnect with your last cursor");
            return false;
        }
        return true;
    }

    /** Ends the stream; {@code reason} is told to the client in a last frame where it can be. */
    public void close(String code, String detail) {
        closed.tryEmitValue(code + ": " + detail);
    }

    /**
     * Live events, buffered from registration on. The buffer is counted here (events offered and
     * not yet taken), so it is bounded also before the stream subscribes, while it replays.
     */
    public Flux<LiveEvent> live() {
        return events.asFlux().doOnNext(event -> waiting.decrementAndGet());
    }

    /** Completes with the reason when the server closes this stream. */
    public Mono<String> closed() {
        return closed.asMono();
    }
}
