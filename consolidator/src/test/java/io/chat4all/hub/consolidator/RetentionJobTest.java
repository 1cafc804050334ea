package io.chat4all.hub.consolidator;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.consolidator.retention.RetentionJob;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubStack;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/** The retention job against real PostgreSQL: rows past the window go, recent and unsettled ones stay. */
@HubStack({EngineKind.POSTGRES, EngineKind.S3})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class RetentionJobTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    RetentionJob retention;

    private final Timestamp old = Timestamp.from(Instant.now().minus(8, ChronoUnit.DAYS));
    private final Timestamp recent = Timestamp.from(Instant.now().minus(1, ChronoUnit.DAYS));

    @Test
    void shouldDeleteOnlyTheBookkeepingOlderThanTheWindow() {
        long oldOutbox = outbox(old);
        long recentOutbox = outbox(recent);
        long unpublished = jdbc.queryForObject("INSERT INTO outbox (topic, record_key, payload, created_at) VALUES"
                + " ('users.changes', ?, '\\x00', ?) RETURNING id", Long.class, UUID.randomUUID(), old);
        UUID oldClaim = claim(old);
        UUID recentClaim = claim(recent);
        UUID oldStep = step(old);
        UUID recentStep = step(recent);
        UUID oldSent = delivery(old, "sent");
        UUID oldUncertain = delivery(old, "uncertain");
        UUID recentFailed = delivery(recent, "failed");

        Map<String, Long> deleted = retention.prune();

        assertThat(deleted).containsOnlyKeys(RetentionJob.tables());
        assertThat(deleted.values()).allSatisfy(rows -> assertThat(rows).isPositive());
        assertThat(ids("SELECT id FROM outbox WHERE id IN (?, ?, ?)", oldOutbox, recentOutbox, unpublished))
                .containsExactlyInAnyOrder(recentOutbox, unpublished);
        assertThat(ids("SELECT message_id FROM message_claims WHERE message_id IN (?, ?)", oldClaim, recentClaim))
                .containsExactly(recentClaim);
        assertThat(ids("SELECT event_id FROM message_status_history WHERE event_id IN (?, ?)", oldStep, recentStep))
                .containsExactly(recentStep);
        assertThat(ids("SELECT delivery_id FROM channel_deliveries WHERE delivery_id IN (?, ?, ?)", oldSent, oldUncertain,
                recentFailed)).containsExactlyInAnyOrder(oldUncertain, recentFailed);
    }

    private long outbox(Timestamp publishedAt) {
        return jdbc.queryForObject("INSERT INTO outbox (topic, record_key, payload, created_at, published_at) VALUES"
                + " ('users.changes', ?, '\\x00', ?, ?) RETURNING id", Long.class, UUID.randomUUID(), publishedAt, publishedAt);
    }

    private UUID claim(Timestamp at) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO message_claims (message_id, sender_id, msg_id, conversation_id, membership_version,"
                + " request_hash, accepted_at) VALUES (?, ?, ?, ?, 1, 'h', ?)", id, UUID.randomUUID(), System.nanoTime(),
                UUID.randomUUID(), at);
        return id;
    }

    private UUID step(Timestamp at) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO message_status_history (event_id, msg_id, recipient_id, channel, status, at)"
                + " VALUES (?, ?, ?, 'whatsapp', 'sent', ?)", id, System.nanoTime(), UUID.randomUUID(), at);
        return id;
    }

    private UUID delivery(Timestamp at, String state) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO channel_deliveries (delivery_id, channel, msg_id, message_id, conversation_id, recipient_id,"
                + " recipient_address, sender_account, state, status, status_rank, created_at, updated_at)"
                + " VALUES (?, 'whatsapp', ?, ?, ?, ?, '5511999990000', 'acct', ?, 'in_transit', 1, ?, ?)", id,
                System.nanoTime(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), state, at, at);
        return id;
    }

    private List<Object> ids(String sql, Object... args) {
        return jdbc.queryForList(sql, Object.class, args);
    }
}
