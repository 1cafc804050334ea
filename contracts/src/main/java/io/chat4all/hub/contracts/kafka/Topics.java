package io.chat4all.hub.contracts.kafka;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.ChannelOutbound;
import io.chat4all.hub.contracts.events.ConversationChanged;
import io.chat4all.hub.contracts.events.DeliveryStatusChanged;
import io.chat4all.hub.contracts.events.InboundChannelMessage;
import io.chat4all.hub.contracts.events.MessageAccepted;
import io.chat4all.hub.contracts.events.MessageRouted;
import io.chat4all.hub.contracts.events.ParticipantMessage;
import io.chat4all.hub.contracts.events.UserChanged;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of the pipeline, in one place. Each has exactly one writing service (see the topic
 * table in docs/architecture.md); the writer declares it as a {@code TopicBuilder} bean.
 */
public final class Topics {

    /** Written by api-gateway, keyed by conversation id; read by message-router. */
    public static final TopicSpec<UUID, MessageAccepted> MESSAGES_ACCEPTED =
            new TopicSpec<>("messages.accepted", Serdes.UUID(), new JsonSerde<>(MessageAccepted.class));

    /**
     * Written by api-gateway, keyed by conversation id; read by message-router and storage-writer.
     * Compacted: each event holds the whole membership, so the latest per conversation is its state.
     */
    public static final TopicSpec<UUID, ConversationChanged> CONVERSATION_CHANGES =
            new TopicSpec<>("conversations.changes", Serdes.UUID(), new JsonSerde<>(ConversationChanged.class))
                    .asCompacted();

    /**
     * Written by api-gateway, keyed by user id; read by message-router (channel addresses).
     * Compacted: a router restored from it after any time still knows every user.
     */
    public static final TopicSpec<UUID, UserChanged> USER_CHANGES =
            new TopicSpec<>("users.changes", Serdes.UUID(), new JsonSerde<>(UserChanged.class)).asCompacted();

    /** Written by message-router, keyed by conversation id; read by storage-writer (canonical messages). */
    public static final TopicSpec<UUID, MessageRouted> MESSAGES_ROUTED =
            new TopicSpec<>("messages.routed", Serdes.UUID(), new JsonSerde<>(MessageRouted.class));

    /** Written by message-router, keyed by the owning participant's user id; read by storage-writer. */
    public static final TopicSpec<UUID, ParticipantMessage> PARTICIPANT_MESSAGES =
            new TopicSpec<>("messages.participant", Serdes.UUID(), new JsonSerde<>(ParticipantMessage.class));

    /** Written by message-router, keyed by conversation id; read by storage-writer and api-gateway. */
    public static final TopicSpec<UUID, DeliveryStatusChanged> MESSAGE_STATUS =
            new TopicSpec<>("messages.status", Serdes.UUID(), new JsonSerde<>(DeliveryStatusChanged.class));

    /** Written by message-router, keyed by recipient user id; read by channel-whatsapp. */
    public static final TopicSpec<UUID, ChannelOutbound> WHATSAPP_OUTBOUND = outbound(Channel.WHATSAPP);

    /** Written by message-router, keyed by recipient user id; read by channel-instagram. */
    public static final TopicSpec<UUID, ChannelOutbound> INSTAGRAM_OUTBOUND = outbound(Channel.INSTAGRAM);

    /** Written by channel-whatsapp, keyed by conversation id; read by storage-writer. */
    public static final TopicSpec<UUID, DeliveryStatusChanged> WHATSAPP_STATUS = channelStatus(Channel.WHATSAPP);

    /** Written by channel-instagram, keyed by conversation id; read by storage-writer. */
    public static final TopicSpec<UUID, DeliveryStatusChanged> INSTAGRAM_STATUS = channelStatus(Channel.INSTAGRAM);

    /** Written by channel-whatsapp, keyed by the contact's address; read by api-gateway. */
    public static final TopicSpec<String, InboundChannelMessage> WHATSAPP_INBOUND = inbound(Channel.WHATSAPP);

    /** Written by channel-instagram, keyed by the contact's address; read by api-gateway. */
    public static final TopicSpec<String, InboundChannelMessage> INSTAGRAM_INBOUND = inbound(Channel.INSTAGRAM);

    /**
     * Written by indexer (its Debezium engine), keyed by the row's primary key as Debezium writes it
     * ({@code {"msg_id":…}}): change events of the canonical {@code messages} table in Debezium's
     * JSON envelope ({@code before}, {@code after}, {@code source}, {@code op}); read by indexer.
     */
    public static final TopicSpec<String, String> CDC_MESSAGES =
            new TopicSpec<>("cdc.messages", Serdes.String(), Serdes.String());

    private Topics() {
    }

    /** The outbound topic of a channel. */
    public static TopicSpec<UUID, ChannelOutbound> outboundOf(Channel channel) {
        return switch (channel) {
            case WHATSAPP -> WHATSAPP_OUTBOUND;
            case INSTAGRAM -> INSTAGRAM_OUTBOUND;
        };
    }

    /** The status topic a channel adapter writes. */
    public static TopicSpec<UUID, DeliveryStatusChanged> statusOf(Channel channel) {
        return switch (channel) {
            case WHATSAPP -> WHATSAPP_STATUS;
            case INSTAGRAM -> INSTAGRAM_STATUS;
        };
    }

    /** The topic a channel adapter writes inbound customer messages to. */
    public static TopicSpec<String, InboundChannelMessage> inboundOf(Channel channel) {
        return switch (channel) {
            case WHATSAPP -> WHATSAPP_INBOUND;
            case INSTAGRAM -> INSTAGRAM_INBOUND;
        };
    }

    /** All topics, for tooling and documentation checks. */
    public static List<TopicSpec<?, ?>> all() {
        return List.of(MESSAGES_ACCEPTED, CONVERSATION_CHANGES, USER_CHANGES, MESSAGES_ROUTED, PARTICIPANT_MESSAGES,
                MESSAGE_STATUS,
                WHATSAPP_OUTBOUND, INSTAGRAM_OUTBOUND, WHATSAPP_STATUS, INSTAGRAM_STATUS, WHATSAPP_INBOUND,
                INSTAGRAM_INBOUND, CDC_MESSAGES);
    }

    private static TopicSpec<UUID, ChannelOutbound> outbound(Channel channel) {
        return new TopicSpec<>("channel." + channel.wireName() + ".outbound", Serdes.UUID(),
                new JsonSerde<>(ChannelOutbound.class));
    }

    private static TopicSpec<String, InboundChannelMessage> inbound(Channel channel) {
        return new TopicSpec<>("channel." + channel.wireName() + ".inbound", Serdes.String(),
                new JsonSerde<>(InboundChannelMessage.class));
    }

    private static TopicSpec<UUID, DeliveryStatusChanged> channelStatus(Channel channel) {
        return new TopicSpec<>("channel." + channel.wireName() + ".status", Serdes.UUID(),
                new JsonSerde<>(DeliveryStatusChanged.class));
    }
}
