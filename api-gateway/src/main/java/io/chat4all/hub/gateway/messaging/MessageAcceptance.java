package io.chat4all.hub.gateway.messaging;

import io.chat4all.hub.contracts.events.MessageAccepted;
import io.chat4all.hub.contracts.ids.SnowflakeIdGenerator;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.gateway.domain.Conversation;
import io.chat4all.hub.gateway.domain.MessageRequest;
import io.chat4all.hub.gateway.persistence.AcceptedMessages;
import io.chat4all.hub.gateway.persistence.ConversationRepository;
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
 *   <li>A {@code message_id} seen before: same request hash → its original receipt (republishing the
 *       recorded event if its ack never came); a different hash → 409.</li>
 *   <li>Otherwise the sender must be a member; the event is stamped with a Snowflake id and the
 *       membership version just read, recorded as {@code publishing}, published (acks=all,
 *       idempotent producer), marked {@code accepted}, and answered 202.</li>
 *   <li>No ack (broker down) → 503 with Retry-After; the client's retry publishes the identical
 *       recorded event. A copy that did reach the log is recognised by the router.</li>
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

    MessageAcceptance(AcceptedMessages accepted, ConversationRepository conversations, KafkaTemplate<UUID, byte[]> eventTemplate,
                      SnowflakeIdGenerator ids, Jdbc jdbc) {
        this.accepted = accepted;
        this.conversations = conversations;
        this.kafka = eventTemplate;
        this.ids = ids;
        this.jdbc = jdbc;
    }

    /** What the client gets back (the same for every retry). */
    public record Receipt(UUID messageId, UUID conversationId, Instant acceptedAt) {
    }

    public Mono<Receipt> accept(MessageRequest request) {
        String hash = requestHash(request);
        return jdbc.call(() -> record(request, hash)).flatMap(row -> {
            Receipt receipt = new Receipt(row.messageId(), row.conversationId(), row.acceptedAt());
            if (row.published()) {
                return Mono.just(receipt);
            }
            return publish(row).then(jdbc.call(() -> {
                accepted.markPublished(row.messageId());
                return receipt;
            }));
        });
    }

    private AcceptedMessages.Accepted record(MessageRequest request, String hash) {
        var existing = accepted.find(request.messageId());
        if (existing.isPresent()) {
            return sameRequestOrConflict(existing.get(), hash);
        }
        Conversation conversation = conversations.find(request.conversationId())
                .filter(c -> c.hasMember(request.senderId()))
                .orElseThrow(() -> ApiException.notFound("conversation " + request.conversationId()));
        long msgId = ids.nextId();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        MessageAccepted event = new MessageAccepted(UUID.randomUUID(), now, msgId, request.messageId(),
                request.conversationId(), request.senderId(), conversation.membershipVersion(), request.payload(),
                request.channels(), request.metadata(), hash);
        byte[] bytes = Topics.MESSAGES_ACCEPTED.valueSerde().serializer().serialize(Topics.MESSAGES_ACCEPTED.name(), event);
        AcceptedMessages.Accepted row = new AcceptedMessages.Accepted(request.messageId(), msgId, request.conversationId(),
                request.senderId(), hash, now, bytes, false);
        if (accepted.insert(row)) {
            return row;
        }
        return sameRequestOrConflict(accepted.find(request.messageId()).orElseThrow(), hash);
    }

    private static AcceptedMessages.Accepted sameRequestOrConflict(AcceptedMessages.Accepted existing, String hash) {
        if (!existing.requestHash().equals(hash)) {
            throw new ApiException(HttpStatus.CONFLICT, "Message id reused",
                    "message_id " + existing.messageId() + " was used for a different message");
        }
        return existing;
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
