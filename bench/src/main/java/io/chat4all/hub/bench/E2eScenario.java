package io.chat4all.hub.bench;

import io.chat4all.hub.localstack.cli.Endpoints;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code e2e}: accept → stored in every participant's history at a steady rate. The load is the
 * {@code accept} scenario, open loop at {@code --rate} (default 300/s); the latency of each
 * participant's copy is read from the hub's own timestamps ({@code participant_messages.stored_at}
 * minus the message's {@code accepted_at}), not guessed by polling.
 */
final class E2eScenario implements Scenario {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");

    private final AcceptScenario accept;
    private final Map<String, String> env;

    E2eScenario(Endpoints endpoints, Map<String, String> options, Path root) {
        Map<String, String> load = new HashMap<>(options);
        load.putIfAbsent("rate", "300");
        this.accept = new AcceptScenario(endpoints, load, root);
        this.env = endpoints.env();
    }

    @Override
    public Result run() {
        Result result = accept.run();
        LockSupport.parkNanos(Duration.ofSeconds(5).toNanos());
        Histogram stored = acceptToStored(env, accept.conversations(), accept.measuredFrom(), Instant.now());
        log.info("e2e: {} participant copies stored from the measured part", stored.getTotalCount());
        result.put("stored_copies", stored.getTotalCount());
        result.put("accept_to_stored_ms", LoadDriver.percentiles(stored));
        return result.renamed("e2e");
    }

    /**
     * Accept → stored (µs) of every participant copy stored so far in {@code conversations} of the
     * messages accepted in [{@code from}, {@code to}): {@code participant_messages.stored_at} minus
     * the message's {@code accepted_at}, read from the hub's PostgreSQL ({@code env}).
     */
    static Histogram acceptToStored(Map<String, String> env, Collection<String> conversations, Instant from, Instant to) {
        Histogram stored = new Histogram(3);
        try (Connection db = DriverManager.getConnection(env.get("POSTGRES_URL"), env.get("POSTGRES_USER"),
                env.get("POSTGRES_PASSWORD"));
             PreparedStatement query = db.prepareStatement("SELECT (EXTRACT(EPOCH FROM (stored_at - accepted_at)) * 1e6)"
                     + "::bigint FROM participant_messages WHERE conversation_id = ANY (?::uuid[]) AND accepted_at >= ?"
                     + " AND accepted_at < ?")) {
            query.setArray(1, db.createArrayOf("text", conversations.toArray()));
            query.setTimestamp(2, Timestamp.from(from));
            query.setTimestamp(3, Timestamp.from(to));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stored.recordValue(Math.max(1, rows.getLong(1)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the stored copies failed: " + e.getMessage(), e);
        }
        return stored;
    }
}
