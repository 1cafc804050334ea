package io.chat4all.hub.gateway.core;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import reactor.core.publisher.Mono;

/**
 * Publishes the outbox in commit order: right after a change (asynchronously) and every second
 * for whatever is left (a crash, a broker outage). One relay at a time across all gateway
 * instances (a PostgreSQL advisory lock), so events of one key never overtake each other. An
 * event is marked published only after the broker's ack: at least once, never lost.
 */
@Component
public class OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final long LOCK_ID = 0x0C4A_0B0_0001L;
    private static final int BATCH = 500;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final KafkaTemplate<UUID, byte[]> kafka;
    private final Jdbc blocking;

    OutboxRelay(JdbcTemplate jdbc, TransactionTemplate transaction, KafkaTemplate<UUID, byte[]> eventTemplate, Jdbc blocking) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.kafka = eventTemplate;
        this.blocking = blocking;
    }

    private record Pending(long id, String topic, UUID key, byte[] payload) {
    }

    /** Publishes soon, without making the caller wait. */
    public void nudge() {
        blocking.call(this::publishPending)
                .onErrorResume(e -> {
                    log.warn("outbox relay failed, the next sweep retries: {}", e.toString());
                    return Mono.empty();
                })
                .subscribe();
    }

    @Scheduled(fixedDelayString = "${hub.gateway.outbox-sweep:1s}")
    void sweep() {
        try {
            publishPending();
        } catch (RuntimeException e) {
            log.warn("outbox relay failed, retrying in a moment: {}", e.toString());
        }
    }

    /** Publishes unpublished events in id order; returns how many (0 when another relay holds the lock). */
    int publishPending() {
        Integer published = transaction.execute(status -> {
            if (!Boolean.TRUE.equals(jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, LOCK_ID))) {
                return 0;
            }
            List<Pending> pending = jdbc.query("SELECT id, topic, record_key, payload FROM outbox WHERE published_at IS NULL"
                            + " ORDER BY id LIMIT " + BATCH,
                    (rs, i) -> new Pending(rs.getLong(1), rs.getString(2), rs.getObject(3, UUID.class), rs.getBytes(4)));
            for (Pending event : pending) {
                try {
                    kafka.send(new ProducerRecord<>(event.topic(), event.key(), event.payload())).get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IllegalStateException("publishing outbox event " + event.id() + " to " + event.topic() + " failed", e);
                }
                jdbc.update("UPDATE outbox SET published_at = ? WHERE id = ?", Timestamp.from(Instant.now()), event.id());
            }
            return pending.size();
        });
        return published == null ? 0 : published;
    }
}
