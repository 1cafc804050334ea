package io.chat4all.hub.bench.chaos;

import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Holds the hub to the clients' record of every 202, reading what the hub stored (PostgreSQL),
 * sent (the provider simulator's log) and indexed (Elasticsearch): each accepted message stored
 * once in every member's history, seq gap-free and the same in every copy, each WhatsApp delivery
 * sent exactly once, every message searchable, statuses never moving backwards.
 */
final class ChaosCheck {

    private static final Logger log = LoggerFactory.getLogger("hub.chaos");
    private static final Map<String, Integer> RANK = Map.of("accepted", 0, "in_transit", 1, "sent", 2, "delivered", 3,
            "read", 4, "failed", 5);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final TestStack stack;
    private final ChaosLoad load;
    private final String simulatorUrl;
    private final String searchAlias;

    ChaosCheck(TestStack stack, ChaosLoad load, String simulatorUrl, String searchAlias) {
        this.stack = stack;
        this.load = load;
        this.simulatorUrl = simulatorUrl;
        this.searchAlias = searchAlias;
    }

    /** Waits (at most {@code timeout}) until everything accepted is stored, delivered and indexed, logging progress. */
    void awaitSettled(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int accepted = load.accepted().size();
        while (System.nanoTime() < deadline) {
            Progress progress = progress();
            log.info("chaos: settling: {} of {} messages in every history, {} of {} searchable, {} deliveries unsettled",
                    progress.complete(), accepted, progress.searchable(), accepted, progress.unsettledDeliveries());
            if (progress.complete() == accepted && progress.searchable() == accepted && progress.unsettledDeliveries() == 0) {
                return;
            }
            ChaosLoad.sleep(Duration.ofSeconds(5));
        }
        log.warn("chaos: not settled after {}; checking what is there", timeout);
    }

    private record Progress(long complete, long searchable, long unsettledDeliveries) {
    }

    private Progress progress() {
        try (Connection c = stack.openDatabaseConnection()) {
            // only the messages the clients saw accepted: one whose 202 never arrived may be stored too
            Map<UUID, Map<UUID, Integer>> copies = copiesByMessage(c);
            long complete = load.accepted().keySet().stream()
                    .filter(id -> copies.getOrDefault(id, Map.of()).size() == 3).count();
            Map<String, Delivery> deliveries = deliveries(c);
            long unsettled = deliveries.values().stream().filter(d -> "sending".equals(d.state())).count()
                    + Math.max(0, expectedDeliveries().size() - deliveries.size());
            return new Progress(complete, searchable(new ArrayList<>(load.accepted().keySet())).size(), unsettled);
        } catch (SQLException | RuntimeException e) {
            log.info("chaos: progress not readable yet: {}", e.getMessage());
            return new Progress(-1, -1, -1);
        }
    }

    /** Every check, as figures; {@link ChaosReport#passed()} says whether the hub kept its promises. */
    ChaosReport check(List<ChaosReport.Fault> faults) throws SQLException {
        Map<UUID, ChaosLoad.Accepted> accepted = load.accepted();
        Map<String, ChaosLoad.Group> groups = new HashMap<>();
        load.groups().forEach(g -> groups.put(g.conversationId(), g));
        ChaosReport.Builder report = new ChaosReport.Builder(faults);
        report.put("intended", load.intended()).put("accepted", accepted.size())
                .put("refused", load.refused().size()).put("unacknowledged", load.unacknowledged())
                .put("client_retries", load.retries()).put("client_skipped", load.skipped())
                .put("answers", load.answers());
        load.refused().entrySet().stream().limit(5).forEach(e -> log.warn("chaos: refused {}: {}", e.getKey(), e.getValue()));
        try (Connection c = stack.openDatabaseConnection()) {
            checkHistory(c, accepted, groups, report);
            checkDeliveries(c, report);
            checkStatuses(c, report);
        }
        List<UUID> notSearchable = new ArrayList<>(accepted.keySet());
        notSearchable.removeAll(searchable(new ArrayList<>(accepted.keySet())));
        report.put("searchable", accepted.size() - notSearchable.size()).put("not_searchable", notSearchable.size());
        notSearchable.stream().limit(5).forEach(id -> log.warn("chaos: not searchable: {}", id));
        return report.build();
    }

    private void checkHistory(Connection c, Map<UUID, ChaosLoad.Accepted> accepted, Map<String, ChaosLoad.Group> groups,
                              ChaosReport.Builder report) throws SQLException {
        Map<UUID, Map<UUID, Integer>> copies = copiesByMessage(c);
        long lost = 0;
        long duplicated = 0;
        long seqMismatch = 0;
        Map<UUID, Long> canonicalSeq = new HashMap<>();
        Map<String, List<Long>> seqs = new HashMap<>();
        Map<UUID, Integer> canonicalCount = new HashMap<>();
        query(c, "SELECT message_id, conversation_id, seq FROM messages WHERE conversation_id = ANY(?)", rs -> {
            UUID messageId = rs.getObject(1, UUID.class);
            canonicalSeq.put(messageId, rs.getLong(3));
            canonicalCount.merge(messageId, 1, Integer::sum);
            seqs.computeIfAbsent(rs.getObject(2, UUID.class).toString(), k -> new ArrayList<>()).add(rs.getLong(3));
        });
        for (ChaosLoad.Accepted message : accepted.values()) {
            Map<UUID, Integer> owners = copies.getOrDefault(message.messageId(), Map.of());
            Set<UUID> members = new HashSet<>();
            groups.get(message.conversationId()).members().forEach(m -> members.add(m.userId()));
            if (!owners.keySet().containsAll(members) || canonicalCount.getOrDefault(message.messageId(), 0) == 0) {
                lost++;
                if (lost <= 5) {
                    log.warn("chaos: accepted message {} is missing from history (copies of {})", message.messageId(),
                            owners.keySet());
                }
            }
        }
        for (Map.Entry<UUID, Map<UUID, Integer>> entry : copies.entrySet()) {
            if (entry.getValue().values().stream().anyMatch(n -> n > 1) || canonicalCount.getOrDefault(entry.getKey(), 0) > 1) {
                duplicated++;
            }
        }
        long storedWithout202 = canonicalSeq.keySet().stream().filter(id -> !accepted.containsKey(id)).count();
        long gaps = 0;
        for (Map.Entry<String, List<Long>> entry : seqs.entrySet()) {
            List<Long> sorted = entry.getValue().stream().sorted().toList();
            for (int i = 0; i < sorted.size(); i++) {
                if (sorted.get(i) != i + 1) {
                    gaps++;
                    log.warn("chaos: conversation {} has seqs {}… (expected 1..{})", entry.getKey(),
                            sorted.subList(Math.max(0, i - 2), Math.min(sorted.size(), i + 3)), sorted.size());
                    break;
                }
            }
        }
        Map<UUID, Long> copySeq = new HashMap<>();
        query(c, "SELECT message_id, seq FROM participant_messages WHERE conversation_id = ANY(?)", rs -> {
            UUID messageId = rs.getObject(1, UUID.class);
            copySeq.merge(messageId, rs.getLong(2), (a, b) -> a.equals(b) ? a : -1L);
        });
        for (Map.Entry<UUID, Long> entry : copySeq.entrySet()) {
            if (entry.getValue() == -1L || !entry.getValue().equals(canonicalSeq.get(entry.getKey()))) {
                seqMismatch++;
            }
        }
        report.put("stored_in_every_history", accepted.size() - lost).put("lost", lost).put("duplicated", duplicated)
                .put("stored_without_a_202", storedWithout202).put("conversations_with_seq_gaps", gaps)
                .put("copies_with_another_seq", seqMismatch);
    }

    private void checkDeliveries(Connection c, ChaosReport.Builder report) throws SQLException {
        Set<String> expected = expectedDeliveries();
        Map<String, Delivery> ledger = deliveries(c);
        Map<String, Integer> sends = new HashMap<>();
        for (ChaosLoad.Group group : load.groups()) {
            JsonNode requests = new HubApi(simulatorUrl).get("/_sim/requests?channel=whatsapp&recipient="
                    + group.members().get(0).whatsapp(), null).body().path("requests");
            for (JsonNode request : requests) {
                if (request.path("status").asInt() == 200) {
                    sends.merge(request.path("body").path("biz_opaque_callback_data").asString(), 1, Integer::sum);
                }
            }
        }
        long once = 0;
        long twice = 0;
        long missing = 0;
        Map<String, Long> missingByState = new TreeMap<>();
        for (String key : expected) {
            Delivery delivery = ledger.get(key);
            int sent = delivery == null ? 0 : sends.getOrDefault(delivery.deliveryId().toString(), 0);
            if (sent == 1) {
                once++;
            } else if (sent > 1) {
                twice++;
                log.warn("chaos: delivery {} was sent {} times", delivery.deliveryId(), sent);
            } else {
                missing++;
                missingByState.merge(delivery == null ? "not_routed" : delivery.state(), 1L, Long::sum);
            }
        }
        report.put("deliveries_expected", expected.size()).put("deliveries_sent_once", once)
                .put("deliveries_sent_twice_or_more", twice).put("deliveries_not_sent", missing)
                .put("deliveries_not_sent_by_state", missingByState);
    }

    /**
     * A status never moves backwards: each delivery's audit trail holds every step at most once,
     * and its current status is the furthest step of the trail. (Time order is no test: providers
     * stamp their statuses in whole seconds, so a {@code delivered} may carry an earlier time than
     * the {@code sent} the adapter stamped in milliseconds.)
     */
    private void checkStatuses(Connection c, ChaosReport.Builder report) throws SQLException {
        Map<String, List<Integer>> trails = new HashMap<>();
        Map<String, Integer> current = new HashMap<>();
        query(c, """
                SELECT h.msg_id || '/' || h.recipient_id || '/' || h.channel, h.status
                  FROM message_status_history h JOIN messages m ON m.msg_id = h.msg_id
                 WHERE m.conversation_id = ANY(?)""", rs ->
                trails.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(RANK.getOrDefault(rs.getString(2), -1)));
        query(c, """
                SELECT s.msg_id || '/' || s.recipient_id || '/' || s.channel, s.status
                  FROM message_status s JOIN messages m ON m.msg_id = s.msg_id
                 WHERE m.conversation_id = ANY(?)""", rs -> current.put(rs.getString(1), RANK.getOrDefault(rs.getString(2), -1)));
        long backwards = 0;
        long transitions = 0;
        for (Map.Entry<String, List<Integer>> trail : trails.entrySet()) {
            transitions += trail.getValue().size();
            int furthest = trail.getValue().stream().mapToInt(Integer::intValue).max().orElse(-1);
            boolean repeated = new HashSet<>(trail.getValue()).size() < trail.getValue().size();
            if (repeated || current.getOrDefault(trail.getKey(), -1) != furthest) {
                backwards++;
                if (backwards <= 5) {
                    log.warn("chaos: delivery {} has trail {} and current rank {}", trail.getKey(), trail.getValue(),
                            current.get(trail.getKey()));
                }
            }
        }
        report.put("status_transitions", transitions).put("statuses_backwards", backwards);
    }

    /** (message id, recipient) of every WhatsApp delivery the accepted messages call for. */
    private Set<String> expectedDeliveries() {
        Map<String, ChaosLoad.Group> groups = new HashMap<>();
        load.groups().forEach(g -> groups.put(g.conversationId(), g));
        Set<String> expected = new HashSet<>();
        for (ChaosLoad.Accepted message : load.accepted().values()) {
            ChaosLoad.Member reachable = groups.get(message.conversationId()).members().get(0);
            if (!reachable.userId().equals(message.senderId())) {
                expected.add(message.messageId() + "/" + reachable.userId());
            }
        }
        return expected;
    }

    private record Delivery(UUID deliveryId, String state) {
    }

    private Map<String, Delivery> deliveries(Connection c) throws SQLException {
        Map<String, Delivery> deliveries = new HashMap<>();
        query(c, "SELECT message_id, recipient_id, delivery_id, state FROM channel_deliveries WHERE conversation_id = ANY(?)",
                rs -> deliveries.put(rs.getObject(1, UUID.class) + "/" + rs.getObject(2, UUID.class),
                        new Delivery(rs.getObject(3, UUID.class), rs.getString(4))));
        return deliveries;
    }

    /** message id → owner → copies. */
    private Map<UUID, Map<UUID, Integer>> copiesByMessage(Connection c) throws SQLException {
        Map<UUID, Map<UUID, Integer>> copies = new HashMap<>();
        query(c, "SELECT message_id, owner_id FROM participant_messages WHERE conversation_id = ANY(?)", rs ->
                copies.computeIfAbsent(rs.getObject(1, UUID.class), k -> new HashMap<>())
                        .merge(rs.getObject(2, UUID.class), 1, Integer::sum));
        return copies;
    }

    /** The ids among {@code ids} Elasticsearch has a document for. */
    private Set<UUID> searchable(List<UUID> ids) {
        Set<UUID> found = new HashSet<>();
        for (int from = 0; from < ids.size(); from += 1000) {
            List<UUID> batch = ids.subList(from, Math.min(ids.size(), from + 1000));
            StringBuilder values = new StringBuilder();
            batch.forEach(id -> values.append(values.length() == 0 ? "" : ",").append('"').append(id).append('"'));
            String query = "{\"size\":" + batch.size() + ",\"_source\":false,\"query\":{\"ids\":{\"values\":[" + values + "]}}}";
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.elasticsearchUrl() + "/"
                        + searchAlias + "/_search")).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(query)).build(), HttpResponse.BodyHandlers.ofString());
                for (JsonNode hit : HubApi.JSON.readTree(response.body()).path("hits").path("hits")) {
                    found.add(UUID.fromString(hit.path("_id").asString()));
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("Elasticsearch did not answer: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return found;
    }

    @FunctionalInterface
    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    /** Runs {@code sql} with the run's conversation ids as its one parameter. */
    private void query(Connection c, String sql, RowHandler handler) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(10_000);
            ps.setArray(1, c.createArrayOf("uuid", load.groups().stream().map(g -> UUID.fromString(g.conversationId()))
                    .toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        }
    }
}
