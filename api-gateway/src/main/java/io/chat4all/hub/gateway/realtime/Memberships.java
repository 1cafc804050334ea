package io.chat4all.hub.gateway.realtime;

import io.chat4all.hub.contracts.events.ConversationChanged;
import io.chat4all.hub.gateway.domain.Conversation;
import io.chat4all.hub.gateway.persistence.ConversationRepository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Who is in a conversation now, for routing status events: kept from {@code conversations.changes}
 * (each event carries the whole member list and a version), loaded from PostgreSQL on a miss. A
 * removed member stops receiving a conversation's events as soon as this instance has read the
 * change. Bounded (least recently used entries go first). Used from one thread.
 */
final class Memberships {

    private record Members(long version, List<UUID> members) {
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

    void apply(ConversationChanged change) {
        Members known = cache.get(change.conversationId());
        if (known == null || known.version() < change.version()) {
            cache.put(change.conversationId(), new Members(change.version(), change.members()));
        }
    }

    List<UUID> members(UUID conversation) {
        Members known = cache.get(conversation);
        if (known == null) {
            known = conversations.find(conversation).map(c -> new Members(c.membershipVersion(), c.members()))
                    .orElse(new Members(-1, List.of()));
            cache.put(conversation, known);
        }
        return known.members();
    }
}
