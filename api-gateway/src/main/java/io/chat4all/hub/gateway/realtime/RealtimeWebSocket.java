package io.chat4all.hub.gateway.realtime;

import io.chat4all.hub.gateway.auth.AccessControl;
import io.chat4all.hub.gateway.core.ApiException;
import io.chat4all.hub.gateway.core.HubPrincipal;
import io.chat4all.hub.gateway.core.Jdbc;
import io.chat4all.hub.gateway.core.Quotas;
import io.chat4all.hub.gateway.messages.HistoryRepository;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v1/ws}: the caller's events over a WebSocket, JSON text frames (API.md).
 *
 * <p>Client frames: {@code {"type":"subscribe"}} (every conversation, live; with {@code "after"}: a
 * stream cursor to resume from), {@code {"type":"subscribe","conversation_id":…,"after_seq"?:n}}
 * (one conversation: its history after {@code after_seq}, then live), {@code {"type":"ping"}}.
 * Server frames: {@code ack} (a subscription is open; then its events), {@code message},
 * {@code pong}, {@code error} ({@code code}, {@code detail}). A bad frame gets an error frame;
 * {@value #MAX_ERRORS} of them close the connection (1008). The server pings every heartbeat;
 * a connection that has sent nothing, not even a pong, for {@value #SILENT_HEARTBEATS} heartbeats
 * is dead and closed (1001), so a vanished client does not hold a stream until TCP gives up. A
 * subscription whose buffer overflows closes the connection with 4008 {@code slow_consumer}; one
 * whose replay cannot wait for storage any longer with 1013 {@code storage_behind}; a connection
 * whose token expires or is revoked (signed out, user disabled or role changed) with 4401
 * {@code token_expired} or {@code revoked}, within a second ({@link HeldCredentials}).
 */
@Component
public class RealtimeWebSocket implements WebSocketHandler {

    /** The subprotocol the server speaks; browsers also offer {@code bearer.<token>} to authenticate. */
    public static final String PROTOCOL = "chat4all.v1";
    static final int MAX_ERRORS = 5;
    static final int MAX_SUBSCRIPTIONS = 20;
    static final int SUBSCRIBES_PER_SECOND = 5;
    static final int SILENT_HEARTBEATS = 3;
    static final CloseStatus SLOW_CONSUMER = new CloseStatus(4008, Subscriber.SLOW_CONSUMER);
    /** 1013, Try Again Later: a replay could not wait for storage (see {@link Streams}). */
    static final CloseStatus STORAGE_BEHIND = new CloseStatus(1013, Subscriber.STORAGE_BEHIND);
    /** The token the connection was opened with expired or was revoked: reconnect with a new one. */
    static final CloseStatus TOKEN_EXPIRED = new CloseStatus(4401, Subscriber.TOKEN_EXPIRED);
    static final CloseStatus REVOKED = new CloseStatus(4401, Subscriber.REVOKED);
    static final CloseStatus SILENT = CloseStatus.GOING_AWAY.withReason("no pong for " + SILENT_HEARTBEATS + " heartbeats");

    private static final Logger log = LoggerFactory.getLogger(RealtimeWebSocket.class);

    private final Streams streams;
    private final HistoryRepository history;
    private final Jdbc jdbc;
    private final JsonMapper json;
    private final HeldCredentials credentials;
    private final Quotas quotas;

    RealtimeWebSocket(Streams streams, HistoryRepository history, Jdbc jdbc, JsonMapper json, HeldCredentials credentials,
                      Quotas quotas) {
        this.quotas = quotas;
        this.credentials = credentials;
        this.streams = streams;
        this.history = history;
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public List<String> getSubProtocols() {
        return List.of(PROTOCOL);
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        return session.getHandshakeInfo().getPrincipal()
                .map(principal -> (HubPrincipal) ((Authentication) principal).getPrincipal())
                .flatMap(caller -> new Connection(session, caller).run());
    }

    /** One WebSocket: its subscriptions, control frames and limits. */
    private final class Connection {

        private final WebSocketSession session;
        private final HubPrincipal caller;
        private final Sinks.Many<String> control = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(64));
        private final Sinks.Many<Flux<String>> subscriptions = Sinks.many().unicast().onBackpressureBuffer();
        private final Sinks.One<CloseStatus> closing = Sinks.one();
        private final AtomicInteger errors = new AtomicInteger();
        private final AtomicInteger opened = new AtomicInteger();
        private long windowStart;
        private int subscribesInWindow;
        private volatile long lastHeard = System.nanoTime();

        Connection(WebSocketSession session, HubPrincipal caller) {
            this.session = session;
            this.caller = caller;
        }

        Mono<Void> run() {
            Duration heartbeat = streams.properties().heartbeat();
            Flux<WebSocketMessage> frames = Flux.merge(control.asFlux(), subscriptions.asFlux().flatMap(f -> f, MAX_SUBSCRIPTIONS))
                    .map(session::textMessage)
                    // Every tick checks liveness; a ping the connection has no demand for is dropped.
                    .mergeWith(Flux.interval(heartbeat).doOnNext(tick -> {
                        if (System.nanoTime() - lastHeard > SILENT_HEARTBEATS * heartbeat.toNanos()) {
                            log.info("websocket of user {}: closing, nothing heard for {} heartbeats", caller.userId(),
                                    SILENT_HEARTBEATS);
                            closing.tryEmitValue(SILENT);
                        }
                    }).onBackpressureDrop().map(tick -> session.pingMessage(factory -> factory.wrap(new byte[0]))));
            Mono<Void> send = session.send(frames);
            Mono<Void> receive = session.receive()
                    .doOnNext(message -> lastHeard = System.nanoTime())
                    .filter(message -> message.getType() == WebSocketMessage.Type.TEXT)
                    .map(WebSocketMessage::getPayloadAsText)
                    .concatMap(this::onFrame)
                    .then();
            // The close frame is sent by a subscription of its own. Inside firstWithSignal, a close asked
            // for from another thread than the connection's (a heartbeat tick, an access poll) was
            // cancelled when the handler ended, and Reactor Netty releases a cancelled close frame
            // before writing it: the client saw 1006 instead of the code.
            Mono<Void> close = closing.asMono().doOnNext(status -> session.close(status).subscribe(null,
                    e -> log.debug("websocket of user {}: closing failed: {}", caller.userId(), e.toString()))).then();
            HeldCredentials.Held held = credentials.hold(caller, refusal -> closing.tryEmitValue(
                    refusal == AccessControl.Refusal.EXPIRED ? TOKEN_EXPIRED : REVOKED));
            return Mono.firstWithSignal(send, receive, close).doFinally(signal -> held.release());
        }

        private Mono<Void> onFrame(String text) {
            JsonNode frame;
            try {
                frame = json.readTree(text);
            } catch (RuntimeException e) {
                return error("bad_frame", "not a JSON object");
            }
            String type = frame.path("type").asString("");
            return switch (type) {
                case "ping" -> emit(Map.of("type", "pong"));
                case "subscribe" -> subscribe(frame);
                default -> error("bad_frame", "unknown type '" + type + "'; send subscribe or ping");
            };
        }

        private Mono<Void> subscribe(JsonNode frame) {
            if (!allowSubscribe()) {
                return error("rate_limited", "at most " + SUBSCRIBES_PER_SECOND + " subscribe frames per second");
            }
            if (opened.get() >= MAX_SUBSCRIPTIONS) {
                return error("too_many_subscriptions", "at most " + MAX_SUBSCRIPTIONS + " subscriptions per connection");
            }
            UUID conversation;
            Long afterSeq;
            StreamCursor after;
            try {
                conversation = frame.hasNonNull("conversation_id") ? UUID.fromString(frame.path("conversation_id").asString(""))
                        : null;
                afterSeq = frame.hasNonNull("after_seq") ? nonNegative(frame.get("after_seq")) : null;
                after = frame.hasNonNull("after") ? StreamCursor.decode(frame.path("after").asString("")) : null;
            } catch (IllegalArgumentException e) {
                return error("bad_frame", "conversation_id must be a UUID, after_seq a number ≥ 0, after a stream cursor");
            }
            if (conversation == null && afterSeq != null) {
                return error("bad_frame", "after_seq needs a conversation_id (or resume every conversation with after)");
            }
            if (after != null || afterSeq != null) {
                Optional<Duration> wait = quotas.take(caller, Quotas.Kind.REPLAYS, 1);
                if (wait.isPresent()) {
                    return error("rate_limited", "the replays quota of this user is used up; retry in "
                            + Math.max(1, wait.get().toSeconds()) + " s");
                }
            }
            if (conversation == null) {
                return open(() -> streams.open(caller.userId(), after), null);
            }
            return jdbc.call(() -> history.mayRead(conversation, caller.userId()))
                    .flatMap(member -> member ? open(() -> streams.openConversation(caller.userId(), conversation, afterSeq),
                            conversation)
                            : error("not_found", "conversation " + conversation + " does not exist or is not visible to you"));
        }

        private Mono<Void> open(Supplier<Streams.OpenStream> opener, UUID conversation) {
            Streams.OpenStream stream;
            try {
                stream = opener.get();
            } catch (ApiException e) {
                return error(e.status().value() == 429 ? "too_many_streams" : "unavailable", e.getMessage());
            }
            int id = opened.incrementAndGet();
            Map<String, Object> ack = new LinkedHashMap<>();
            ack.put("type", "ack");
            ack.put("subscription", id);
            if (conversation != null) {
                ack.put("conversation_id", conversation);
            }
            ack.put("cursor", stream.start().encode());
            Flux<String> events = Flux.concat(Mono.just(write(ack)), stream.events().map(event -> write(event.body())),
                    stream.subscriber().closing().doOnNext(why -> {
                        log.info("websocket of user {}: closing ({})", caller.userId(), why.reason());
                        closing.tryEmitValue(closeStatus(why));
                    }).then(Mono.empty()));
            subscriptions.tryEmitNext(events);
            return Mono.empty();
        }

        private synchronized boolean allowSubscribe() {
            long now = System.nanoTime();
            if (now - windowStart > Duration.ofSeconds(1).toNanos()) {
                windowStart = now;
                subscribesInWindow = 0;
            }
            return ++subscribesInWindow <= SUBSCRIBES_PER_SECOND;
        }

        private Mono<Void> error(String code, String detail) {
            if (errors.incrementAndGet() >= MAX_ERRORS) {
                closing.tryEmitValue(CloseStatus.POLICY_VIOLATION.withReason("too many bad frames"));
            }
            return emit(Map.of("type", "error", "code", code, "detail", detail));
        }

        private Mono<Void> emit(Map<String, Object> frame) {
            if (control.tryEmitNext(write(frame)).isFailure()) {
                closing.tryEmitValue(SLOW_CONSUMER);
            }
            return Mono.empty();
        }

        private String write(Map<String, Object> frame) {
            return json.writeValueAsString(frame);
        }
    }

    /** How a stream the server closes ends the whole WebSocket. */
    private static CloseStatus closeStatus(Subscriber.Closing why) {
        return switch (why.code()) {
            case Subscriber.STORAGE_BEHIND -> STORAGE_BEHIND;
            case Subscriber.SHUTTING_DOWN -> CloseStatus.GOING_AWAY.withReason(Subscriber.SHUTTING_DOWN);
            case Subscriber.RESTARTING -> CloseStatus.SERVICE_RESTARTED.withReason(Subscriber.RESTARTING);
            case Subscriber.TOKEN_EXPIRED -> TOKEN_EXPIRED;
            case Subscriber.REVOKED -> REVOKED;
            default -> SLOW_CONSUMER;
        };
    }

    private static long nonNegative(JsonNode value) {
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0) {
            throw new IllegalArgumentException("not a non-negative integer");
        }
        return value.asLong();
    }
}
