package io.chat4all.hub.gateway.realtime;

import io.chat4all.hub.contracts.events.ConversationChanged;
import io.chat4all.hub.gateway.conversations.ConversationRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Who is in a conversation now and since when, for routing status events: loaded from PostgreSQL
 * on a miss, then kept from {@code conversations.changes} (each event carries the whole member
 * list and a version; a new member joined when the event happened). A removed member stops
 * receiving a conversation's events as soon as this instance has read the change; a member who
 * joined after a message does not get its steps. Bounded (least recently used entries go first). Used from one thread.
 */
final class Memberships {

    /** Members who joined less than this after a message was accepted still count as its recipients (clocks differ). */
    private static final Duration TOLERANCE = Duration.ofSeconds(1);

    private record Members(long version, Map<UUID, Instant> joinedAt) {
    }

    private final ConversationRepository conversations;
    private final Map<UUID, Members> cache;

    Memberships(ConversationRepository conversations, int capacity) {
        this.conversations = conversations;
        this.cache = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Members> eldest) {
                return size() > capacity;
            }
        };
    }

    /** A membership change: members who stay keep their join time, new ones joined when it happened. */
    void apply(ConversationChanged change) {
        Members known = cache.get(change.conversationId());
        if (known == null || known.version() >= change.version()) {
            return; // not held (loaded from PostgreSQL when first needed), or not newer
        }
        Map<UUID, Instant> next = new HashMap<>();
        for (UUID member : change.members()) {
            next.put(member, known.joinedAt().getOrDefault(member, change.occurredAt()));
        }
        cache.put(change.conversationId(), new Members(change.version(), next));
    }

    /** The current members who had joined by {@code at} (all current members when {@code at} is null). */
    List<UUID> membersAt(UUID conversation, Instant at) {
        Members known = cache.get(conversation);
        if (known == null) {
            ConversationRepository.Joins joins = conversations.joins(conversation);
            known = new Members(joins.membershipVersion(), joins.joinedAt());
            cache.put(conversation, known);
        }
        Instant latest = at == null ? Instant.MAX : at.plus(TOLERANCE);
        List<UUID> members = new ArrayList<>(known.joinedAt().size());
        known.joinedAt().forEach((member, joined) -> {
            if (!joined.isAfter(latest)) {
                members.add(member);
            }
        });
        return members;
    }
}
