package io.chat4all.hub.gateway.users;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.ConversationType;
import io.chat4all.hub.gateway.conversations.ConversationRepository;
import io.chat4all.hub.gateway.core.Role;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Who an inbound channel message is between. The business user is the hub user whose address on
 * the channel is the one written to; the customer is a contact user identified by their channel
 * address ({@code whatsapp:5511…}), created on first contact and unable to log in; they talk in
 * one private conversation. A contact's id is random (an id derived from the number would let
 * anyone compute it and probe whether a number is a customer); two gateway instances racing on a
 * first contact meet on the unique username and use the one row that won. The conversation's id
 * is derived from the two ids. Blocking: call off the event loop.
 */
@Repository
public class ContactDirectory {

    /** A password hash no password matches: contacts exist to be talked to, not to log in. */
    static final String NO_LOGIN = "!contact";

    private final JdbcTemplate jdbc;
    private final UserRepository users;
    private final ConversationRepository conversations;

    ContactDirectory(JdbcTemplate jdbc, UserRepository users, ConversationRepository conversations) {
        this.jdbc = jdbc;
        this.users = users;
        this.conversations = conversations;
    }

    /** The business user and the contact, and their private conversation. */
    public record Thread(UUID businessId, UUID contactId, UUID conversationId) {
    }

    /** Empty when no hub user owns {@code businessAddress} on the channel. */
    public Optional<Thread> resolve(Channel channel, String businessAddress, String contactAddress, String contactName) {
        Optional<UUID> business = businessUser(channel, businessAddress);
        if (business.isEmpty()) {
            return Optional.empty();
        }
        UUID contact = contact(channel, contactAddress, contactName);
        UUID conversation = derived("contact-conversation:" + business.get() + ":" + contact);
        if (conversations.find(conversation).isEmpty()) {
            try {
                conversations.create(conversation, ConversationType.PRIVATE, null, List.of(business.get(), contact),
                        contact, null, Instant.now().truncatedTo(ChronoUnit.MILLIS));
            } catch (DuplicateKeyException createdMeanwhile) {
                // another instance created it first: the same conversation
            }
        }
        return Optional.of(new Thread(business.get(), contact, conversation));
    }

    private Optional<UUID> businessUser(Channel channel, String address) {
        String sql = channel == Channel.WHATSAPP
                ? "regexp_replace(channels->>'whatsapp', '[^0-9]', '', 'g') = regexp_replace(?, '[^0-9]', '', 'g')"
                : "channels->>'instagram' = ?";
        return jdbc.queryForList("SELECT user_id FROM users WHERE " + sql + " AND erased_at IS NULL"
                + " AND password_hash <> ? ORDER BY created_at LIMIT 1", UUID.class, address, NO_LOGIN).stream().findFirst();
    }

    private UUID contact(Channel channel, String address, String name) {
        String canonical = channel == Channel.WHATSAPP ? "+" + address.replaceAll("[^0-9]", "") : address;
        String username = channel.wireName() + ":" + canonical.replace("+", "");
        Optional<UUID> known = users.idOf(username);
        if (known.isPresent()) {
            return known.get();
        }
        String displayName = name == null || name.isBlank() ? canonical : name;
        try {
            return users.create(new User(UUID.randomUUID(), username, displayName, Role.USER, Map.of(channel, canonical),
                    Instant.now().truncatedTo(ChronoUnit.MILLIS)), NO_LOGIN).userId();
        } catch (DuplicateKeyException createdMeanwhile) {
            // another instance created it first: the same contact
            return users.idOf(username).orElseThrow(() -> new IllegalStateException("contact " + username + " vanished"));
        }
    }

    private static UUID derived(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
