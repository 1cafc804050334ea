package io.chat4all.hub.gateway.messaging;

import io.chat4all.hub.contracts.events.MessageAccepted;
import io.chat4all.hub.contracts.events.Payload;
import io.chat4all.hub.contracts.ids.SnowflakeIdGenerator;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.gateway.domain.LargeTexts;
import io.chat4all.hub.gateway.domain.MessageRequest;
import io.chat4all.hub.gateway.persistence.AcceptedMessages;
import io.chat4all.hub.gateway.persistence.ConversationRepository;
import io.chat4all.hub.gateway.persistence.FileRepository;
import io.chat4all.hub.gateway.persistence.StoredFile;
import io.chat4all.hub.gateway.persistence.Jdbc;
import io.chat4all.hub.gateway.web.ApiException;
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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts a message: durably in the log before the client hears 202, exactly once per client
 * {@code message_id} across retries, restarts and gateway instances.
 *
 * <ol>
 *   <li>A {@code message_id} recorded before: same request hash → its original receipt; a
 *       different hash → 409.</li>
 *   <li>Otherwise the sender must be a current member; the event is stamped with a Snowflake id and
 *       the membership version just read, published (acks=all, idempotent producer) and, after the
 *       ack, recorded; the first record of a message id wins, so concurrent duplicates (two
 *       instances) all answer its receipt, and their extra copies in the log are recognised by
 *       the router (same {@code message_id} and hash).</li>
 *   <li>No ack (broker down) → 503 with Retry-After and nothing recorded. If the event did reach the
 *       log although the ack was lost, the client's retry publishes it again and the router
 *       recognises the copy.</li>
 * </ol>
 */
@Component
public class MessageAcceptance {

    private static final Logger log = LoggerFactory.getLogger(MessageAcceptance.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private final AcceptedMessages accepted;
    private final ConversationRepository conversations;
    private final KafkaTemplate<UUID, byte[]> kafka;
    private final SnowflakeIdGenerator ids;
    private final Jdbc jdbc;
    private final FileRepository files;
    private final LargeTexts largeTexts;

    MessageAcceptance(AcceptedMessages accepted, ConversationRepository conversations, KafkaTemplate<UUID, byte[]> eventTemplate,
                      SnowflakeIdGenerator ids, Jdbc jdbc, FileRepository files, LargeTexts largeTexts) {
        this.files = files;
        this.largeTexts = largeTexts;
        this.accepted = accepted;
        this.conversations = conversations;
        this.kafka = eventTemplate;
        this.ids = ids;
        this.jdbc = jdbc;
    }

    /** What the client gets back (the same for every retry). */
    public record Receipt(UUID messageId, UUID conversationId, Instant acceptedAt) {
    }

    /**
     * Accepts the message. Once started, the work runs to its end even if the client goes away
     * (a cancelled request must not leave an event in the log without its record).
     */
    public Mono<Receipt> accept(MessageRequest request) {
        String hash = requestHash(request);
        Mono<Receipt> work = jdbc.call(() -> prepare(request, hash)).flatMap(prepared -> prepared.recorded()
                ? Mono.just(receipt(prepared.row()))
                : publish(prepared.row()).then(jdbc.call(() -> record(prepared.row()))));
        return Mono.fromFuture(work.toFuture(), true);
    }

    /** An acceptance and whether it is recorded already (a retry) or still to publish. */
    private record Prepared(AcceptedMessages.Accepted row, boolean recorded) {
    }

    /** An earlier acceptance of this message id, or a new event ready to publish. */
    private Prepared prepare(MessageRequest request, String hash) {
        var existing = accepted.find(request.messageId());
        if (existing.isPresent()) {
            return new Prepared(sameRequestOrConflict(existing.get(), hash), true);
        }
        long membershipVersion = conversations.membershipVersionFor(request.conversationId(), request.senderId())
                .orElseThrow(() -> ApiException.notFound("conversation " + request.conversationId()));
        if (request.payload() instanceof Payload.File file) {
            checkUsable(UUID.fromString(file.fileId()), request.senderId());
        }
        long msgId = ids.nextId();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Payload payload = largeTexts.storeIfLarge(request.senderId(), request.messageId(), request.payload());
        MessageAccepted event = new MessageAccepted(UUID.randomUUID(), now, msgId, request.messageId(),
                request.conversationId(), request.senderId(), membershipVersion, payload,
                request.channels(), request.metadata(), hash);
        byte[] bytes = Topics.MESSAGES_ACCEPTED.valueSerde().serializer().serialize(Topics.MESSAGES_ACCEPTED.name(), event);
        return new Prepared(new AcceptedMessages.Accepted(request.messageId(), msgId, request.conversationId(),
                request.senderId(), hash, now, bytes), false);
    }

    /**
     * A file may be sent once it is available, by its uploader or by anyone who received it (a
     * forward); recipients then read it through the message.
     */
    private void checkUsable(UUID fileId, UUID senderId) {
        boolean usable = files.find(fileId).filter(StoredFile::available).isPresent() && files.readableBy(fileId, senderId);
        if (!usable) {
            throw ApiException.invalid("payload.file_id", "no available file " + fileId + " that you may send");
        }
    }

    /** After the ack: the first acceptance recorded wins, and every retry gets its receipt. */
    private Receipt record(AcceptedMessages.Accepted row) {
        if (accepted.insert(row)) {
            return receipt(row);
        }
        return receipt(sameRequestOrConflict(accepted.find(row.messageId()).orElseThrow(), row.requestHash()));
    }

    private static AcceptedMessages.Accepted sameRequestOrConflict(AcceptedMessages.Accepted existing, String hash) {
        if (!existing.requestHash().equals(hash)) {
            throw new ApiException(HttpStatus.CONFLICT, "Message id reused",
                    "message_id " + existing.messageId() + " was used for a different message");
        }
        return existing;
    }

    private static Receipt receipt(AcceptedMessages.Accepted row) {
        return new Receipt(row.messageId(), row.conversationId(), row.acceptedAt());
    }

    private Mono<Void> publish(AcceptedMessages.Accepted row) {
        return Mono.defer(() -> Mono.fromFuture(kafka.send(new ProducerRecord<>(Topics.MESSAGES_ACCEPTED.name(),
                        row.conversationId(), row.event()))))
                .timeout(Duration.ofSeconds(15))
                .onErrorMap(e -> {
                    log.warn("message {} not acknowledged by Kafka: {}", row.messageId(), e.toString());
                    return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Message broker unavailable",
                            "the message was not accepted; retry the same request later", List.of(), RETRY_AFTER);
                })
                .then();
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
}
