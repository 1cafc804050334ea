package io.chat4all.hub.router.messaging;

import io.chat4all.hub.contracts.events.ConversationChanged;
import io.chat4all.hub.contracts.events.MessageAccepted;
import io.chat4all.hub.contracts.events.UserChanged;
import io.chat4all.hub.contracts.kafka.JsonSerde;
import io.chat4all.hub.contracts.kafka.TopicSpec;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.router.domain.ConversationState;
import io.chat4all.hub.router.domain.Counters;
import io.chat4all.hub.router.domain.RoutedMark;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The router's topology, a pure function of a {@link StreamsBuilder}:
 *
 * <pre>
 * messages.accepted ──┐
 *                     ├─ merge ─ conversation-router ─┬─ messages.routed
 * conversations.changes┘   (stores: conversations,     ├─ messages.participant
 *                           conversation-counters,     ├─ channel.&lt;name&gt;.outbound
 *                           routed-marks (windowed),   ├─ messages.status (in_transit)
 *                           pending-messages;          └─ messages.accepted-dlt
 *                           global: users)
 * users.changes ── global table "users" (channel addresses)
 * </pre>
 *
 * Both inputs are keyed by conversation id and have the same partition count, so one task sees
 * every event of a conversation, in log order.
 */
public final class RouterTopology {

    public static final String CONVERSATIONS_STORE = "conversations";
    public static final String COUNTERS_STORE = "conversation-counters";
    public static final String MARKS_STORE = "routed-marks";
    /** Marks as written before {@link #MARKS_STORE}: read until they expire, never written. */
    public static final String ROUTED_STORE = "routed-messages";
    public static final String PENDING_STORE = "pending-messages";
    public static final String USERS_STORE = "users";

    /** Accepted messages the router cannot route, with the reason in the {@code hub.dlt.reason} header. */
    public static final TopicSpec<UUID, MessageAccepted> ACCEPTED_DEAD_LETTERS = new TopicSpec<>(
            Topics.MESSAGES_ACCEPTED.deadLetterTopic(), Serdes.UUID(), Topics.MESSAGES_ACCEPTED.valueSerde());

    private RouterTopology() {
    }

    /** How long messages may wait for their membership, and how long republished copies are recognised. */
    public record Settings(Duration pendingTimeout, Duration pendingCheckInterval, Duration dedupeWindow,
                           Duration dedupePurgeInterval) {
    }

    /**
     * Streams settings the topology relies on: exactly-once v2, and the dead-letter handler for
     * records that cannot be read, processed or written.
     */
    public static Map<String, Object> requiredStreamsConfig() {
        return Map.of(
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class,
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class,
                StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
    }

    /** Adds the router to {@code builder}; returns the stream of its outputs (for wiring, not for further use). */
    public static KStream<UUID, ?> build(StreamsBuilder builder, Settings settings) {
        builder.globalTable(Topics.USER_CHANGES.name(),
                Consumed.with(Topics.USER_CHANGES.keySerde(), Topics.USER_CHANGES.valueSerde()).withName("users-source"),
                Materialized.<UUID, UserChanged, KeyValueStore<Bytes, byte[]>>as(USERS_STORE)
                        .withKeySerde(Topics.USER_CHANGES.keySerde())
                        .withValueSerde(Topics.USER_CHANGES.valueSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CONVERSATIONS_STORE),
                Serdes.UUID(), new JsonSerde<>(ConversationState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COUNTERS_STORE),
                Serdes.UUID(), Counters.serde()));
        // marks in time segments: a whole segment expires at once, nothing scans them
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(MARKS_STORE,
                settings.dedupeWindow(), Duration.ofMillis(1), false),
                Serdes.UUID(), new JsonSerde<>(RoutedMark.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ROUTED_STORE),
                Serdes.UUID(), new JsonSerde<>(RoutedMark.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_STORE),
                Serdes.String(), Topics.MESSAGES_ACCEPTED.valueSerde()));

        KStream<UUID, RouterInput> messages = builder
                .stream(Topics.MESSAGES_ACCEPTED.name(), consumed(Topics.MESSAGES_ACCEPTED, "accepted-messages"))
                .mapValues(RouterTopology::asInput, Named.as("as-message-input"));
        KStream<UUID, RouterInput> membership = builder
                .stream(Topics.CONVERSATION_CHANGES.name(), consumed(Topics.CONVERSATION_CHANGES, "conversation-changes"))
                .mapValues(RouterTopology::asInput, Named.as("as-membership-input"));

        KStream<UUID, RouterOutput> outputs = messages.merge(membership, Named.as("conversation-inputs"))
                .process(() -> new ConversationRouter(settings), Named.as("conversation-router"),
                        CONVERSATIONS_STORE, COUNTERS_STORE, MARKS_STORE, ROUTED_STORE, PENDING_STORE);
        outputs.to(RouterOutput.TOPIC, Produced.with(Serdes.UUID(), outputSerde()).withName("router-outputs"));
        return outputs;
    }

    private static RouterInput asInput(MessageAccepted message) {
        return new RouterInput.Message(message);
    }

    private static RouterInput asInput(ConversationChanged change) {
        return new RouterInput.MembershipChange(change);
    }

    private static <V> Consumed<UUID, V> consumed(TopicSpec<UUID, V> topic, String name) {
        return Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    private static Serde<RouterOutput> outputSerde() {
        return Serdes.serdeFrom(new RouterOutput.ValueSerializer(), (topic, data) -> {
            throw new UnsupportedOperationException("router outputs are written, never read back");
        });
    }
}
