package io.chat4all.hub.router.messaging;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.ChannelOutbound;
import io.chat4all.hub.contracts.events.ConversationChanged;
import io.chat4all.hub.contracts.events.DeliveryStatus;
import io.chat4all.hub.contracts.events.DeliveryStatusChanged;
import io.chat4all.hub.contracts.events.Direction;
import io.chat4all.hub.contracts.events.MessageAccepted;
import io.chat4all.hub.contracts.events.MessageRouted;
import io.chat4all.hub.contracts.events.ParticipantMessage;
import io.chat4all.hub.contracts.events.UserChanged;
import io.chat4all.hub.contracts.kafka.TopicSpec;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.router.domain.ConversationState;
import io.chat4all.hub.router.domain.Counters;
import io.chat4all.hub.router.domain.RoutedMark;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heart of the router, one instance per partition of conversations: keeps each
 * conversation's membership (from membership changes), gives every accepted message the next
 * gap-free {@code seq}, and fans it out: the canonical message, one copy per participant, one
 * delivery per (recipient, channel) the recipient has an address on, and the {@code in_transit}
 * status.
 *
 * <p>A message checked against a membership version the router has not seen yet waits (in the
 * pending store, in accept order, and so does everything after it in that conversation) until
 * that version arrives; after {@code pendingTimeout} it goes to the dead-letter topic instead.
 * A republished message (same {@code message_id} and body) is recognised and changes nothing; a
 * different body under a routed {@code message_id}, or a sender who is not a member, goes to the
 * dead-letter topic with the reason in a header. Nothing is dropped silently.
 */
final class ConversationRouter implements Processor<UUID, RouterInput, UUID, RouterOutput> {

    static final String REASON_HEADER = "hub.dlt.reason";
    /** The error code of a message the router could not route (its status is {@code failed}). */
    static final String NOT_ROUTABLE = "not_routable";
    private static final Logger log = LoggerFactory.getLogger(ConversationRouter.class);
    private static final StringSerializer PREFIX = new StringSerializer();

    private final RouterTopology.Settings settings;
    private ProcessorContext<UUID, RouterOutput> context;
    private KeyValueStore<UUID, ConversationState> conversations;
    private KeyValueStore<UUID, Counters> counters;
    private WindowStore<UUID, RoutedMark> marks;
    private KeyValueStore<UUID, RoutedMark> legacyMarks;
    private Cancellable legacyPurge;
    private KeyValueStore<String, MessageAccepted> pending;
    private KeyValueStore<UUID, ValueAndTimestamp<UserChanged>> users;

    ConversationRouter(RouterTopology.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<UUID, RouterOutput> context) {
        this.context = context;
        this.conversations = context.getStateStore(RouterTopology.CONVERSATIONS_STORE);
        this.counters = context.getStateStore(RouterTopology.COUNTERS_STORE);
        this.marks = context.getStateStore(RouterTopology.MARKS_STORE);
        this.legacyMarks = context.getStateStore(RouterTopology.ROUTED_STORE);
        this.pending = context.getStateStore(RouterTopology.PENDING_STORE);
        this.users = context.getStateStore(RouterTopology.USERS_STORE);
        context.schedule(settings.pendingCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::expirePending);
        this.legacyPurge = context.schedule(settings.dedupePurgeInterval(), PunctuationType.WALL_CLOCK_TIME,
                this::purgeLegacyMarks);
    }

    @Override
    public void process(Record<UUID, RouterInput> record) {
        if (record.value() instanceof RouterInput.MembershipChange change) {
            onMembership(change.event());
        } else if (record.value() instanceof RouterInput.Message message) {
            onMessage(message.event());
        }
    }

    private void onMembership(ConversationChanged change) {
        UUID conversation = change.conversationId();
        ConversationState before = conversations.get(conversation);
        ConversationState state = (before == null ? ConversationState.unknown() : before)
                .withMembership(change.version(), change.members());
        if (state != before) {
            conversations.put(conversation, state);
        }
        if (countersOf(conversation, state).pending() > 0) {
            releasePending(conversation);
        }
    }

    private void onMessage(MessageAccepted message) {
        RoutedMark mark = markOf(message);
        if (mark != null) {
            if (mark.requestHash().equals(message.requestHash())) {
                log.debug("message {} was routed already as seq {}; republished copy ignored", message.messageId(), mark.seq());
            } else {
                deadLetter(message, "a different message with message_id " + message.messageId()
                        + " was routed already (seq " + mark.seq() + ")");
            }
            return;
        }
        UUID conversation = message.conversationId();
        ConversationState state = stateOf(conversation);
        Counters count = countersOf(conversation, state);
        if (count.pending() > 0 || !state.knows(message.membershipVersion())) {
            pending.put(pendingKey(message), message);
            counters.put(conversation, count.withPending(1));
            log.debug("message {} waits for membership version {} of conversation {} (router has {})",
                    message.messageId(), message.membershipVersion(), conversation, state.version());
            return;
        }
        counters.put(conversation, route(message, state, count));
    }

    /** Routes, in accept order, the waiting messages whose membership version is now known. */
    private void releasePending(UUID conversation) {
        List<KeyValue<String, MessageAccepted>> waiting = new ArrayList<>();
        try (KeyValueIterator<String, MessageAccepted> it = pending.prefixScan(conversation + "/", PREFIX)) {
            it.forEachRemaining(waiting::add);
        }
        ConversationState state = stateOf(conversation);
        Counters count = countersOf(conversation, state);
        for (KeyValue<String, MessageAccepted> entry : waiting) {
            if (!state.knows(entry.value.membershipVersion())) {
                break;
            }
            pending.delete(entry.key);
            count = count.withPending(-1);
            if (markOf(entry.value) == null) {
                // a copy that waited behind its original is routed already by now
                count = route(entry.value, state, count);
            }
        }
        counters.put(conversation, count);
    }

    /** Routes one message not routed before whose membership is known; returns the counters after it. */
    private Counters route(MessageAccepted message, ConversationState state, Counters count) {
        List<UUID> members = state.membersAt(message.membershipVersion()).orElse(List.of());
        if (!members.contains(message.senderId())) {
            deadLetter(message, "sender " + message.senderId() + " is not a member of conversation "
                    + message.conversationId() + " at membership version " + message.membershipVersion());
            return count;
        }
        Counters next = count.withNextSeq();
        long seq = next.lastSeq();
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        marks.put(markKey(message), new RoutedMark(seq, message.requestHash(), now.toEpochMilli()),
                message.occurredAt().toEpochMilli());

        UUID conversation = message.conversationId();
        emit(conversation, Topics.MESSAGES_ROUTED, new MessageRouted(id("routed", message.msgId()), now, message.msgId(),
                message.messageId(), conversation, seq, message.senderId(), message.payload(), message.channels(),
                message.metadata(), members, message.requestHash(), message.occurredAt()));
        for (UUID member : members) {
            Direction direction = member.equals(message.senderId()) ? Direction.OUTGOING : Direction.INCOMING;
            emit(member, Topics.PARTICIPANT_MESSAGES, new ParticipantMessage(id("participant", message.msgId(), member),
                    now, member, direction, message.msgId(), message.messageId(), conversation, seq, message.senderId(),
                    message.payload(), message.metadata(), message.occurredAt()));
        }
        for (UUID recipient : members) {
            if (!recipient.equals(message.senderId())) {
                emitDeliveries(message, recipient, seq, now);
            }
        }
        emit(conversation, Topics.MESSAGE_STATUS, new DeliveryStatusChanged(id("status", message.msgId(), "in_transit"),
                now, message.msgId(), message.messageId(), conversation, null, null, DeliveryStatus.IN_TRANSIT, null, null));
        return next;
    }

    private void emitDeliveries(MessageAccepted message, UUID recipient, long seq, Instant now) {
        if (message.channels().isEmpty()) {
            return;
        }
        ValueAndTimestamp<UserChanged> user = users.get(recipient);
        if (user == null || user.value() == null || user.value().erased()) {
            return;
        }
        for (Channel channel : message.channels()) {
            String address = user.value().channels().get(channel);
            if (address == null || address.isBlank()) {
                continue;
            }
            UUID deliveryId = id("delivery", message.msgId(), recipient, channel.wireName());
            emit(recipient, Topics.outboundOf(channel), new ChannelOutbound(id("outbound", deliveryId), now, deliveryId,
                    message.msgId(), message.messageId(), message.conversationId(), seq, message.senderId(), recipient,
                    channel, address, message.payload()));
            emit(message.conversationId(), Topics.MESSAGE_STATUS, new DeliveryStatusChanged(id("status", deliveryId,
                    "in_transit"), now, message.msgId(), message.messageId(), message.conversationId(), recipient, channel,
                    DeliveryStatus.IN_TRANSIT, null, null));
        }
    }

    private void emit(UUID key, TopicSpec<UUID, ?> topic, Object value) {
        context.forward(new Record<>(key, new RouterOutput(topic, value), context.currentSystemTimeMs()));
    }

    /**
     * The message cannot be routed: it goes to the dead-letter topic with the reason, and its
     * message-wide status becomes {@code failed} with that reason (code {@code not_routable}), so the
     * sender sees it fail instead of staying {@code accepted}.
     */
    private void deadLetter(MessageAccepted message, String reason) {
        log.warn("message {} of conversation {} sent to {}: {}", message.messageId(), message.conversationId(),
                RouterTopology.ACCEPTED_DEAD_LETTERS.name(), reason);
        Record<UUID, RouterOutput> letter = new Record<>(message.conversationId(),
                new RouterOutput(RouterTopology.ACCEPTED_DEAD_LETTERS, message), context.currentSystemTimeMs());
        letter.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        context.forward(letter);
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        emit(message.conversationId(), Topics.MESSAGE_STATUS, new DeliveryStatusChanged(
                id("status", message.msgId(), "failed"), now, message.msgId(), message.messageId(),
                message.conversationId(), null, null, DeliveryStatus.FAILED, null,
                new DeliveryStatusChanged.DeliveryError(NOT_ROUTABLE, reason)));
    }

    /**
     * A message that waited longer than the pending timeout for its membership goes to the
     * dead-letter topic; the messages queued behind it in its conversation are then routed if
     * they can be.
     */
    private void expirePending(long nowMs) {
        Instant limit = Instant.ofEpochMilli(nowMs).minus(settings.pendingTimeout());
        List<KeyValue<String, MessageAccepted>> expired = new ArrayList<>();
        try (KeyValueIterator<String, MessageAccepted> it = pending.all()) {
            it.forEachRemaining(entry -> {
                if (entry.value.occurredAt().isBefore(limit)) {
                    expired.add(entry);
                }
            });
        }
        for (KeyValue<String, MessageAccepted> entry : expired) {
            if (pending.get(entry.key) == null) {
                continue;
            }
            UUID conversation = entry.value.conversationId();
            ConversationState state = stateOf(conversation);
            if (!state.knows(entry.value.membershipVersion())) {
                pending.delete(entry.key);
                counters.put(conversation, countersOf(conversation, state).withPending(-1));
                deadLetter(entry.value, "membership version " + entry.value.membershipVersion() + " of conversation "
                        + conversation + " did not arrive within " + settings.pendingTimeout());
            }
            releasePending(conversation);
        }
    }

    /**
     * Forgets the marks of the store written before marks were kept in time segments, once they are
     * older than the dedupe window; when it is empty, this punctuation stops for good. (The marks
     * of today expire with their segment: nothing scans them.)
     */
    private void purgeLegacyMarks(long nowMs) {
        long limit = nowMs - settings.dedupeWindow().toMillis();
        List<UUID> old = new ArrayList<>();
        boolean empty = true;
        try (KeyValueIterator<UUID, RoutedMark> it = legacyMarks.all()) {
            while (it.hasNext()) {
                KeyValue<UUID, RoutedMark> entry = it.next();
                empty = false;
                if (entry.value.routedAtMs() < limit) {
                    old.add(entry.key);
                }
            }
        }
        old.forEach(legacyMarks::delete);
        if (!old.isEmpty()) {
            log.info("forgot {} routed message ids older than {}", old.size(), settings.dedupeWindow());
        }
        if (empty) {
            legacyPurge.cancel();
        }
    }

    /**
     * The mark of this message's (sender, {@code message_id}) if it was routed within the dedupe
     * window around its accept time (a retry republishes it with the same time, or, after a lost
     * ack, a few seconds later). Marks are kept in time segments that expire whole. Marks written
     * before message ids were scoped to their sender are keyed by the {@code message_id} alone;
     * one of those counts only with the same request hash (which covers the sender).
     */
    private RoutedMark markOf(MessageAccepted message) {
        long at = message.occurredAt().toEpochMilli();
        long window = settings.dedupeWindow().toMillis();
        try (WindowStoreIterator<RoutedMark> found = marks.fetch(markKey(message), at - window, at + window)) {
            if (found.hasNext()) {
                return found.next().value;
            }
        }
        RoutedMark legacy = legacyMarks.get(message.messageId());
        return legacy != null && legacy.requestHash().equals(message.requestHash()) ? legacy : null;
    }

    /** A client's {@code message_id} is scoped to its sender: the mark's key is derived from both. */
    static UUID markKey(MessageAccepted message) {
        return id("mark", message.senderId(), message.messageId());
    }

    private ConversationState stateOf(UUID conversation) {
        ConversationState state = conversations.get(conversation);
        return state == null ? ConversationState.unknown() : state;
    }

    /**
     * The conversation's counters; a conversation routed before counters had a store of their own
     * has them in its membership state (read once, then kept here).
     */
    private Counters countersOf(UUID conversation, ConversationState state) {
        Counters count = counters.get(conversation);
        return count != null ? count : new Counters(state.lastSeq(), state.pending());
    }

    /** Pending keys sort by conversation, then by Snowflake id: accept order. */
    static String pendingKey(MessageAccepted message) {
        return message.conversationId() + "/" + String.format("%020d", message.msgId());
    }

    /** Deterministic ids: replaying the same input yields the same events. */
    private static UUID id(Object... parts) {
        StringBuilder s = new StringBuilder();
        for (Object part : parts) {
            s.append(part).append('/');
        }
        return UUID.nameUUIDFromBytes(s.toString().getBytes(StandardCharsets.UTF_8));
    }
}
