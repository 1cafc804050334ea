package io.chat4all.hub.gateway.messages;

import io.chat4all.hub.contracts.events.MessageAccepted;
import io.chat4all.hub.contracts.events.Payload;
import io.chat4all.hub.contracts.ids.SnowflakeIdGenerator;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.gateway.core.ApiException;
import io.chat4all.hub.gateway.core.GatewayProperties;
import io.chat4all.hub.gateway.core.GroupCommit;
import io.chat4all.hub.gateway.core.Jdbc;
import io.chat4all.hub.gateway.files.FileRepository;
import io.chat4all.hub.gateway.files.StoredFile;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts a message: durably in the log before the client hears 202, exactly once per
 * ({@code message_id}, sender) across retries, restarts and gateway instances. Claim first, then
 * publish:
 *
 * <ol>
 *   <li>The request is <em>claimed</em> ({@link MessageClaims}) together with the requests that
 *       arrived with it, in one statement per batch ({@link GroupCommit}): membership checked, the
 *       claim inserted unless one exists, the existing one read. Not a member → 404.</li>
 *   <li>A request that wins the claim publishes its event (Snowflake id and time fixed in the claim,
 *       the membership version read with it) and answers 202 after the broker's ack (acks=all,
 *       idempotent producer).</li>
 *   <li>A claim that existed: a different request hash → 409, nothing published; the same hash (a
 *       retry, or the same request racing on another instance) → the identical event is rebuilt from
 *       the claim and this request's body and published again, then the original receipt. The router
 *       recognises the copy. So a gateway that crashed after the claim and before the ack loses
 *       nothing: the retry publishes the message under its original id.</li>
 *   <li>No ack (broker down) → the claim is released and the client gets 503 with Retry-After: the
 *       message was not accepted. For the next second new requests get that 503 at once instead of
 *       waiting for the producer's delivery timeout too.</li>
 * </ol>
 * At most {@code HUB_ACCEPT_MAX_IN_FLIGHT} acceptances run at once; beyond that, 503 at once.
 */
@Component
public class MessageAcceptance implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MessageAcceptance.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    /** After a send without ack, how long new requests are refused at once. */
    private static final long BROKER_AWAY_NANOS = Duration.ofSeconds(1).toNanos();
    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private final MessageClaims claims;
    private final GroupCommit<MessageClaims.Claim, MessageClaims.Outcome> claiming;
    private final KafkaTemplate<UUID, byte[]> kafka;
    private final SnowflakeIdGenerator ids;
    private final Jdbc jdbc;
    private final FileRepository files;
    private final LargeTexts largeTexts;
    private final Scheduler objectStoreWork;
    private final Semaphore inFlight;
    private volatile long brokerAwayUntil = System.nanoTime();

    MessageAcceptance(MessageClaims claims, KafkaTemplate<UUID, byte[]> eventTemplate, SnowflakeIdGenerator ids, Jdbc jdbc,
                      FileRepository files, LargeTexts largeTexts, @Qualifier("fileWork") Scheduler objectStoreWork,
                      GatewayProperties properties, MeterRegistry meters) {
        this.claims = claims;
        this.kafka = eventTemplate;
        this.ids = ids;
        this.jdbc = jdbc;
        this.files = files;
        this.largeTexts = largeTexts;
        this.objectStoreWork = objectStoreWork;
        GatewayProperties.Accept accept = properties.accept();
        this.claiming = new GroupCommit<>("message-claims", accept.claimThreads(), accept.maxBatch(), accept.maxWaiting(),
                claims::claim, meters);
        this.inFlight = new Semaphore(accept.maxInFlight());
        Gauge.builder("hub.accept.in.flight", inFlight, s -> accept.maxInFlight() - s.availablePermits())
                .description("POST /v1/messages being accepted").register(meters);
    }

    /** What the client gets back (the same for every retry). */
    public record Receipt(UUID messageId, UUID conversationId, Instant acceptedAt) {
    }

    /**
     * Accepts the message. Once started, the work runs to its end even if the client goes away
     * (a cancelled request must not leave a claim behind without its event).
     */
    public Mono<Receipt> accept(MessageRequest request) {
        if (System.nanoTime() - brokerAwayUntil < 0) {
            return Mono.error(brokerUnavailable());
        }
        String hash = requestHash(request);
        if (!inFlight.tryAcquire()) {
            return Mono.error(unavailable("Too many messages at once",
                    "the hub is accepting as fast as it can; retry the same request later"));
        }
        Mono<Receipt> work = checkFile(request)
                .then(Mono.defer(() -> Mono.fromFuture(claiming.submit(new MessageClaims.Claim(request.messageId(),
                        request.senderId(), request.conversationId(), hash, ids.nextId(),
                        Instant.now().truncatedTo(ChronoUnit.MILLIS))))))
                .onErrorMap(GroupCommit.Saturated.class, e -> unavailable("Too many messages at once",
                        "the hub is accepting as fast as it can; retry the same request later"))
                .flatMap(outcome -> onClaim(request, hash, outcome))
                .doFinally(signal -> inFlight.release());
        return Mono.fromFuture(work.toFuture(), true);
    }

    private Mono<Receipt> onClaim(MessageRequest request, String hash, MessageClaims.Outcome outcome) {
        if (outcome instanceof MessageClaims.Outcome.Won won) {
            return publish(request, won.claim()).onErrorResume(e -> release(won.claim()).then(Mono.<Receipt>error(e)));
        }
        if (outcome instanceof MessageClaims.Outcome.Existing existing) {
            if (!existing.claim().requestHash().equals(hash)) {
                return Mono.error(new ApiException(HttpStatus.CONFLICT, "Message id reused",
                        "message_id " + request.messageId() + " was used for a different message"));
            }
            return publish(request, existing.claim());
        }
        if (outcome instanceof MessageClaims.Outcome.NotMember) {
            return Mono.error(ApiException.notFound("conversation " + request.conversationId()));
        }
        return Mono.error(unavailable("Message being accepted",
                "another request with this message_id was being accepted; retry the same request"));
    }

    /**
     * A file may be sent once it is available, by its uploader or by anyone who received it (a
     * forward); recipients then read it through the message.
     */
    private Mono<Void> checkFile(MessageRequest request) {
        if (!(request.payload() instanceof Payload.File file)) {
            return Mono.empty();
        }
        UUID fileId = UUID.fromString(file.fileId());
        return jdbc.call(() -> files.find(fileId).filter(StoredFile::available).isPresent()
                        && files.readableBy(fileId, request.senderId()))
                .flatMap(usable -> usable ? Mono.<Void>empty() : Mono.<Void>error(ApiException.invalid("payload.file_id",
                        "no available file " + fileId + " that you may send")));
    }

    /** Publishes the claimed message's event; after the ack, its receipt. */
    private Mono<Receipt> publish(MessageRequest request, MessageClaims.Recorded claim) {
        Mono<Payload> payload = largeTexts.isLarge(request.payload())
                ? Mono.fromCallable(() -> largeTexts.storeIfLarge(request.senderId(), request.messageId(), request.payload()))
                        .subscribeOn(objectStoreWork)
                : Mono.just(request.payload());
        return payload.flatMap(p -> {
            MessageAccepted event = new MessageAccepted(eventId(claim.msgId()), claim.acceptedAt(), claim.msgId(),
                    request.messageId(), request.conversationId(), request.senderId(), claim.membershipVersion(), p,
                    request.channels(), request.metadata(), claim.requestHash());
            byte[] bytes = Topics.MESSAGES_ACCEPTED.valueSerde().serializer().serialize(Topics.MESSAGES_ACCEPTED.name(), event);
            return Mono.fromFuture(() -> kafka.send(new ProducerRecord<>(Topics.MESSAGES_ACCEPTED.name(),
                    request.conversationId(), bytes))).onErrorMap(e -> {
                        log.warn("message {} not acknowledged by Kafka: {}", request.messageId(), e.toString());
                        brokerAwayUntil = System.nanoTime() + BROKER_AWAY_NANOS;
                        return brokerUnavailable();
                    });
        }).thenReturn(new Receipt(claim.messageId(), claim.conversationId(), claim.acceptedAt()));
    }

    /** Gives up a claim whose event was not acknowledged, so a retry starts afresh. */
    private Mono<Void> release(MessageClaims.Recorded claim) {
        return jdbc.call(() -> {
            claims.release(claim);
            return true;
        }).onErrorResume(e -> {
            log.warn("claim of message {} not released ({}); a retry republishes it under its first id",
                    claim.messageId(), e.toString());
            return Mono.empty();
        }).then();
    }

    private static ApiException brokerUnavailable() {
        return unavailable("Message broker unavailable", "the message was not accepted; retry the same request later");
    }

    private static ApiException unavailable(String title, String detail) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, title, detail, List.of(), RETRY_AFTER);
    }

    /** The accepted event's id follows from the hub's id: a republished copy is the same event. */
    static UUID eventId(long msgId) {
        return UUID.nameUUIDFromBytes(("accepted/" + msgId).getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of the request in canonical form: a retry with the same body has the same hash. */
    static String requestHash(MessageRequest request) {
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("conversation_id", request.conversationId().toString());
        canonical.put("from", request.senderId().toString());
        canonical.put("payload", request.payload());
        canonical.put("channels", request.channels().stream().map(c -> c.wireName()).sorted().toList());
        canonical.put("metadata", request.metadata());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(CANONICAL.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    @Override
    public void close() {
        claiming.close();
    }
}
