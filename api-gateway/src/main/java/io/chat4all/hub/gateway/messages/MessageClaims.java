package io.chat4all.hub.gateway.messages;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * The idempotency records of {@code POST /v1/messages}, shared by every gateway instance: one claim
 * per (client {@code message_id}, sender), holding the receipt (the hub's id, the time, the
 * membership version the message was accepted with) and the request hash. A message is claimed
 * <em>before</em> it is published, and only the request that wins the claim publishes.
 *
 * <p>{@link #claim} does a whole batch of requests in one statement: it checks each sender's
 * membership, inserts the claims of members ({@code ON CONFLICT DO NOTHING}) and reads the claims
 * that existed before, so a batch costs one round trip and one commit whatever its size.
 * Blocking: call through {@link GroupCommit} or {@link Jdbc}.
 */
@Repository
public class MessageClaims {

    /** What a request asks to claim: the hub id and time it will have if it wins. */
    public record Claim(UUID messageId, UUID senderId, UUID conversationId, String requestHash, long msgId,
                        Instant acceptedAt) {
    }

    /** A claim as recorded. */
    public record Recorded(UUID messageId, UUID senderId, long msgId, UUID conversationId, long membershipVersion,
                           String requestHash, Instant acceptedAt) {
    }

    /** What became of a claim. */
    public sealed interface Outcome {

        /** This request claimed the message: it publishes. */
        record Won(Recorded claim) implements Outcome {
        }

        /** The message was claimed before (a retry, or a different message under a used id). */
        record Existing(Recorded claim) implements Outcome {
        }

        /** The sender is not a current member of the conversation (or it does not exist). */
        record NotMember() implements Outcome {
        }

        /** A concurrent request held the claim and released it meanwhile: try again. */
        record Contended() implements Outcome {
        }
    }

    private static final String CLAIM = """
            WITH req AS (
                SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::bigint[], ?::bigint[])
                    WITH ORDINALITY AS r(message_id, sender_id, conversation_id, request_hash, msg_id, accepted_ms, i)
            ), allowed AS (
                SELECT r.i, c.membership_version FROM req r
                JOIN conversation_members m ON m.conversation_id = r.conversation_id AND m.user_id = r.sender_id
                                           AND m.left_at IS NULL
                JOIN conversations c ON c.conversation_id = r.conversation_id
            ), won AS (
                INSERT INTO message_claims (message_id, sender_id, msg_id, conversation_id, membership_version,
                                            request_hash, accepted_at)
                SELECT r.message_id, r.sender_id, r.msg_id, r.conversation_id, a.membership_version, r.request_hash,
                       timestamptz 'epoch' + r.accepted_ms * interval '1 millisecond'
                FROM req r JOIN allowed a ON a.i = r.i
                ORDER BY r.message_id, r.sender_id
                ON CONFLICT (message_id, sender_id) DO NOTHING
                RETURNING message_id, sender_id, membership_version
            )
            SELECT r.i, w.membership_version, a.i IS NOT NULL,
                   e.msg_id, e.conversation_id, e.membership_version, e.request_hash, e.accepted_at
            FROM req r
            LEFT JOIN allowed a ON a.i = r.i
            LEFT JOIN won w ON w.message_id = r.message_id AND w.sender_id = r.sender_id
            LEFT JOIN message_claims e ON e.message_id = r.message_id AND e.sender_id = r.sender_id
            ORDER BY r.i""";
    private static final String COLUMNS = "SELECT message_id, sender_id, msg_id, conversation_id, membership_version,"
            + " request_hash, accepted_at FROM message_claims";
    private static final RowMapper<Recorded> RECORDED = (rs, i) -> new Recorded(rs.getObject(1, UUID.class),
            rs.getObject(2, UUID.class), rs.getLong(3), rs.getObject(4, UUID.class), rs.getLong(5), rs.getString(6),
            rs.getTimestamp(7).toInstant());

    private final JdbcTemplate jdbc;

    MessageClaims(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims a batch in one statement; one outcome per claim, in order. A message id claimed twice
     * in the same batch is claimed once: the later requests see the first one's claim as existing.
     */
    public List<Outcome> claim(List<Claim> claims) {
        Map<Key, Integer> firstOf = new HashMap<>();
        List<Claim> distinct = new ArrayList<>(claims.size());
        for (Claim claim : claims) {
            if (firstOf.putIfAbsent(new Key(claim.messageId(), claim.senderId()), distinct.size()) == null) {
                distinct.add(claim);
            }
        }
        List<Outcome> outcomes = jdbc.execute((ConnectionCallback<List<Outcome>>) connection -> run(connection, distinct));
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) instanceof Outcome.Contended) {
                // a concurrent statement claimed it after this one took its snapshot: read what it claimed
                Claim claim = distinct.get(i);
                int at = i;
                find(claim.messageId(), claim.senderId()).ifPresent(now -> outcomes.set(at, new Outcome.Existing(now)));
            }
        }
        List<Outcome> result = new ArrayList<>(claims.size());
        boolean[] answered = new boolean[distinct.size()];
        for (Claim claim : claims) {
            int index = firstOf.get(new Key(claim.messageId(), claim.senderId()));
            Outcome outcome = outcomes.get(index);
            if (answered[index] && outcome instanceof Outcome.Won won) {
                outcome = new Outcome.Existing(won.claim());
            }
            answered[index] = true;
            result.add(outcome);
        }
        return result;
    }

    private record Key(UUID messageId, UUID senderId) {
    }

    private static List<Outcome> run(Connection connection, List<Claim> claims) throws SQLException {
        int n = claims.size();
        UUID[] messageIds = new UUID[n];
        UUID[] senders = new UUID[n];
        UUID[] conversations = new UUID[n];
        String[] hashes = new String[n];
        Long[] msgIds = new Long[n];
        Long[] acceptedMs = new Long[n];
        for (int i = 0; i < n; i++) {
            Claim c = claims.get(i);
            messageIds[i] = c.messageId();
            senders[i] = c.senderId();
            conversations[i] = c.conversationId();
            hashes[i] = c.requestHash();
            msgIds[i] = c.msgId();
            acceptedMs[i] = c.acceptedAt().toEpochMilli();
        }
        List<Outcome> outcomes = new ArrayList<>(n);
        try (PreparedStatement statement = connection.prepareStatement(CLAIM)) {
            statement.setArray(1, connection.createArrayOf("uuid", messageIds));
            statement.setArray(2, connection.createArrayOf("uuid", senders));
            statement.setArray(3, connection.createArrayOf("uuid", conversations));
            statement.setArray(4, connection.createArrayOf("text", hashes));
            statement.setArray(5, connection.createArrayOf("bigint", msgIds));
            statement.setArray(6, connection.createArrayOf("bigint", acceptedMs));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Claim claim = claims.get(outcomes.size());
                    long wonVersion = rs.getLong(2);
                    boolean won = !rs.wasNull();
                    boolean member = rs.getBoolean(3);
                    long existingMsgId = rs.getLong(4);
                    boolean existing = !rs.wasNull();
                    if (existing) {
                        outcomes.add(new Outcome.Existing(new Recorded(claim.messageId(), claim.senderId(), existingMsgId,
                                rs.getObject(5, UUID.class), rs.getLong(6), rs.getString(7), rs.getTimestamp(8).toInstant())));
                    } else if (won) {
                        outcomes.add(new Outcome.Won(new Recorded(claim.messageId(), claim.senderId(), claim.msgId(),
                                claim.conversationId(), wonVersion, claim.requestHash(), claim.acceptedAt())));
                    } else if (!member) {
                        outcomes.add(new Outcome.NotMember());
                    } else {
                        outcomes.add(new Outcome.Contended());
                    }
                }
            }
        }
        return outcomes;
    }

    /** The claim of {@code messageId} by {@code senderId}. */
    public Optional<Recorded> find(UUID messageId, UUID senderId) {
        return jdbc.query(COLUMNS + " WHERE message_id = ? AND sender_id = ?", RECORDED, messageId, senderId)
                .stream().findFirst();
    }

    /** A claim of {@code messageId} by anyone (what an integrator sees), the earliest if several senders used it. */
    public Optional<Recorded> findAny(UUID messageId) {
        return jdbc.query(COLUMNS + " WHERE message_id = ? ORDER BY msg_id LIMIT 1", RECORDED, messageId)
                .stream().findFirst();
    }

    /**
     * Gives a claim up (its message was not published: no broker ack), so the client's retry claims
     * it afresh. Only this very claim: a newer claim of the same id is left alone.
     */
    public void release(Recorded claim) {
        jdbc.update("DELETE FROM message_claims WHERE message_id = ? AND sender_id = ? AND msg_id = ?",
                claim.messageId(), claim.senderId(), claim.msgId());
    }
}
