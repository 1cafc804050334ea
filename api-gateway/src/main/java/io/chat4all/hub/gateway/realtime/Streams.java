package io.chat4all.hub.gateway.realtime;

import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.gateway.core.ApiException;
import io.chat4all.hub.gateway.core.Jdbc;
import io.chat4all.hub.gateway.messages.HistoryRepository;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A user's event stream, whatever carries it (SSE or WebSocket): what they missed after their
 * cursor, replayed from storage, then live events, each exactly once and in stream order.
 *
 * <ol>
 *   <li>Register with {@link LiveEvents}: live events are buffered from here on; note the last
 *       offset already dispatched on the user's partition ({@code upTo}).</li>
 *   <li>Wait until storage-writer has stored that partition up to {@code upTo} (its progress is
 *       committed with the rows), normally a few milliseconds. If it has not within
 *       {@code storageWait}, the stream is closed with {@code storage_behind} rather than replay
 *       with a hole: the client reconnects with its cursor a little later.</li>
 *   <li>Replay the stored copies after the cursor up to {@code upTo}, then the buffered and live
 *       events, dropping any event at or before the last one sent.</li>
 * </ol>
 */
@Component
public class Streams {

    private static final Logger log = LoggerFactory.getLogger(Streams.class);
    private static final int PAGE = 500;
    private static final String TOPIC = Topics.PARTICIPANT_MESSAGES.name();
    private static final Duration STORAGE_POLL = Duration.ofMillis(25);

    /** An opened stream: where it starts, its events, and the buffer behind them. */
    public record OpenStream(StreamCursor start, Flux<LiveEvent> events, Subscriber subscriber) {
    }

    private final LiveEvents live;
    private final HistoryRepository history;
    private final Jdbc jdbc;
    private final RealtimeProperties properties;

    Streams(LiveEvents live, HistoryRepository history, Jdbc jdbc, RealtimeProperties properties) {
        this.live = live;
        this.history = history;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    public RealtimeProperties properties() {
        return properties;
    }

    /**
     * Opens {@code owner}'s stream after {@code after} (null: from now on).
     *
     * @throws ApiException 429 over the per-user limit, 400 for a cursor of another stream, 503
     *                      while the live consumer is not ready
     */
    public OpenStream open(UUID owner, StreamCursor after) {
        LiveEvents.Registration registration = register(owner);
        if (after != null && after.partition() != registration.partition()) {
            live.unregister(registration.subscriber());
            throw ApiException.invalid("after", "is a cursor of another stream");
        }
        long upTo = registration.dispatchedUpTo();
        int partition = registration.partition();
        AtomicLong last = new AtomicLong(after == null ? upTo : after.offset());
        Flux<LiveEvent> replay = after == null || after.offset() >= upTo ? Flux.empty()
                : awaitStored(registration.subscriber(), partition, upTo)
                        .thenMany(replay(owner, partition, after.offset(), upTo));
        Flux<LiveEvent> events = replay.concatWith(registration.subscriber().live())
                .filter(event -> !(event instanceof StreamEvent message) || message.cursor().offset() > last.get())
                .doOnNext(event -> {
                    if (event instanceof StreamEvent message) {
                        last.set(message.cursor().offset());
                    }
                });
        return new OpenStream(new StreamCursor(partition, last.get()), finish(events, registration), registration.subscriber());
    }

    /**
     * Opens {@code owner}'s stream of one conversation: with {@code afterSeq}, first the history
     * after it (hot and archived, as {@code GET /v1/conversations/{id}/messages} reads it), then
     * live events; each {@code seq} once, in order. Without, live events from now on.
     */
    public OpenStream openConversation(UUID owner, UUID conversation, Long afterSeq) {
        LiveEvents.Registration registration = register(owner);
        long upTo = registration.dispatchedUpTo();
        AtomicLong lastSeq = new AtomicLong(afterSeq == null ? -1 : afterSeq);
        Flux<LiveEvent> replay = afterSeq == null ? Flux.empty()
                : awaitStored(registration.subscriber(), registration.partition(), upTo)
                        .thenMany(history(owner, conversation, afterSeq));
        Flux<LiveEvent> events = replay.concatWith(registration.subscriber().live()
                        .filter(event -> event.conversationId().equals(conversation)))
                .filter(event -> !(event instanceof StreamEvent message) || message.seq() > lastSeq.get())
                .doOnNext(event -> {
                    if (event instanceof StreamEvent message) {
                        lastSeq.set(message.seq());
                    }
                });
        return new OpenStream(new StreamCursor(registration.partition(), upTo), finish(events, registration),
                registration.subscriber());
    }

    private LiveEvents.Registration register(UUID owner) {
        if (live.connections() >= properties.maxConnections()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Stream unavailable", "this instance holds its maximum of "
                    + properties.maxConnections() + " streams; try again shortly or another instance", List.of(),
                    Duration.ofSeconds(5));
        }
        if (live.connections(owner) >= properties.maxConnectionsPerUser()) {
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "Too many streams", "at most "
                    + properties.maxConnectionsPerUser() + " open streams per user; close one first");
        }
        try {
            return live.register(owner, properties.buffer());
        } catch (IllegalStateException e) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Stream unavailable",
                    "real-time events are not available right now; try again shortly", List.of(), Duration.ofSeconds(5));
        }
    }

    private Flux<LiveEvent> finish(Flux<LiveEvent> events, LiveEvents.Registration registration) {
        return events.takeUntilOther(registration.subscriber().closed())
                .doFinally(signal -> live.unregister(registration.subscriber()));
    }

    private Flux<LiveEvent> history(UUID owner, UUID conversation, long afterSeq) {
        return historyPage(owner, conversation, afterSeq)
                .expand(page -> page.size() < PAGE ? Mono.empty()
                        : historyPage(owner, conversation, page.get(page.size() - 1).seq()))
                .concatMapIterable(page -> page)
                .map(m -> (LiveEvent) new StreamEvent(null, m.messageId(), m.seq(), m.conversationId(), m.from(), m.payload(),
                        m.metadata(), m.status(), m.createdAt()));
    }

    private Mono<List<HistoryRepository.StoredMessage>> historyPage(UUID owner, UUID conversation, long afterSeq) {
        return jdbc.call(() -> history.page(owner, false, conversation, new HistoryRepository.Slice(afterSeq, null, PAGE)));
    }

    /**
     * Completes once storage holds the partition up to {@code upTo}. If it does not within
     * {@code storageWait}, closes the stream ({@code storage_behind}) and never completes: a
     * replay of what is stored then would skip copies the stream will never see live.
     */
    private Mono<Void> awaitStored(Subscriber subscriber, int partition, long upTo) {
        // One query at a time, the next 25 ms after the last answered (a ticking interval would
        // overflow, and fail the stream, once queries are slower than its ticks).
        return Mono.defer(() -> jdbc.call(() -> history.storedUpTo(TOPIC, partition)))
                .filter(next -> next > upTo)
                .repeatWhenEmpty(empty -> empty.delayElements(STORAGE_POLL))
                .timeout(properties.storageWait(), Mono.defer(() -> {
                    log.warn("stream replay: storage has not reached {}-{}@{} after {}; closing the stream of user {}"
                            + " (storage_behind), it reconnects with its cursor", TOPIC, partition, upTo,
                            properties.storageWait(), subscriber.owner());
                    subscriber.close(Subscriber.STORAGE_BEHIND, "stored history is behind the live stream; reconnect with your"
                            + " last cursor in a few seconds");
                    return Mono.never();
                }))
                .then();
    }

    private Flux<LiveEvent> replay(UUID owner, int partition, long after, long upTo) {
        return page(owner, partition, after, upTo)
                .expand(copies -> copies.size() < PAGE ? Mono.empty()
                        : page(owner, partition, copies.get(copies.size() - 1).offset(), upTo))
                .concatMapIterable(copies -> copies)
                .map(copy -> (LiveEvent) new StreamEvent(new StreamCursor(copy.partition(), copy.offset()), copy.message().messageId(),
                        copy.message().seq(), copy.message().conversationId(), copy.message().from(),
                        copy.message().payload(), copy.message().metadata(), copy.message().status(),
                        copy.message().createdAt()));
    }

    private Mono<List<HistoryRepository.StreamedCopy>> page(UUID owner, int partition, long after, long upTo) {
        return jdbc.call(() -> history.streamAfter(owner, partition, after, upTo, PAGE));
    }
}
