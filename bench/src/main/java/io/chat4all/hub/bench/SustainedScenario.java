package io.chat4all.hub.bench;

import io.chat4all.hub.localstack.cli.Endpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * {@code sustained}: the highest message rate the whole hub sustains end to end with accept →
 * stored and accept → delivered on a real-time stream both within {@code --slo-ms} (250) at p99
 * (issue 23), found in steps of {@code --step-duration} (300 s) each.
 *
 * <p>A step is the {@code accept} load ({@link AcceptScenario#measure}): open loop at the step's
 * rate, 200 B – 2 KB texts from a random member of one of {@code --conversations} (100) groups of 3
 * among {@code --users} (30), no external channels; {@code --warmup} (20 s) first, not measured
 * ({@code --hub-warmup}, 90 s, before the first step: the JIT of every service warms up there).
 * Throughout, every member of those groups holds a real-time stream ({@code GET /v1/stream},
 * {@link SseReader}). For the messages due in the measured part of the step:
 * <ul>
 *   <li><b>accept → delivered on the stream</b>: for each message event a member's stream
 *       receives, its receive time minus the time its request was due on the schedule (HdrHistogram,
 *       µs), so a hub that falls behind shows its queueing. The router gives every member a copy,
 *       the sender included (its outgoing copy), and the stream carries them all: each accepted
 *       message is expected once on each of its 3 members' streams. After the step the streams get
 *       {@link #DRAIN} to catch up; what has not come then is missing, what came twice duplicated.</li>
 *   <li><b>accept → stored</b>: {@code participant_messages.stored_at − accepted_at} of every
 *       copy, as {@code e2e} reads it ({@link E2eScenario#acceptToStored}); copies still not stored
 *       {@link #DRAIN} after the streams caught up are missing too.</li>
 *   <li>accepted/s, the 202's latency (from due), answers by status, every hub process's CPU
 *       seconds and CPU ms per accepted message ({@link HubProcesses}), and every stage's lag when
 *       the measured part ended: the records each consumer group with members has not committed,
 *       per topic ({@link ConsumerLag}; the gateways' live consumers have no group, their lag is in
 *       the stream latency; Debezium's position in PostgreSQL's log is not read).</li>
 * </ul>
 * A step passes when both p99 are within the SLO, at least 97 % of the step's rate was accepted,
 * nothing is missing or duplicated (on the streams or in storage), no stream got another user's
 * message and no answer was a 5xx. The rate starts at {@code --start-rate} (200) and is multiplied by
 * {@code --factor} (1.5, capped at {@code --max-rate}, 20,000) while steps pass; the first failing
 * step ends the search. {@code sustained_rate} is the highest passing rate (null when none passed).
 */
final class SustainedScenario implements Scenario {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");
    /** How long the streams, then storage, get to catch up after a step before the rest counts as missing. */
    private static final Duration DRAIN = Duration.ofSeconds(30);
    private static final double MIN_ACHIEVED = 0.97;

    private final Endpoints endpoints;
    private final Path root;
    private final int startRate;
    private final double factor;
    private final int maxRate;
    private final Duration stepDuration;
    private final Duration warmup;
    private final Duration hubWarmup;
    private final long sloMs;
    private final int users;
    private final int conversations;
    private final AtomicLong reconnects = new AtomicLong();
    /** The step whose messages the streams' events are counted against. */
    private volatile Deliveries current = new Deliveries();

    SustainedScenario(Endpoints endpoints, Map<String, String> options, Path root) {
        this.endpoints = endpoints;
        this.root = root;
        this.startRate = Integer.parseInt(options.getOrDefault("start-rate", "200"));
        this.factor = Double.parseDouble(options.getOrDefault("factor", "1.5"));
        this.maxRate = Integer.parseInt(options.getOrDefault("max-rate", "20000"));
        this.stepDuration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("step-duration", "300")));
        this.warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "20")));
        this.hubWarmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("hub-warmup", "90")));
        this.sloMs = Long.parseLong(options.getOrDefault("slo-ms", "250"));
        this.users = Integer.parseInt(options.getOrDefault("users", "30"));
        this.conversations = Integer.parseInt(options.getOrDefault("conversations", "100"));
        if (startRate <= 0 || startRate > maxRate || factor <= 1) {
            throw new IllegalArgumentException("need 0 < --start-rate <= --max-rate and --factor > 1");
        }
    }

    /**
     * One step's messages (told by the load as each falls due, {@link AcceptScenario.Sent}) and
     * what the streams received of them.
     */
    private static final class Deliveries implements AcceptScenario.Sent {

        /** A message of the step: its conversation's members, when it was due, its answer, who received it. */
        private static final class Expected {
            final List<Population.Member> members;
            final long due;
            volatile boolean accepted;
            /** One bit per member (the index in {@code members}); written under the object's lock. */
            volatile int received;

            Expected(List<Population.Member> members, long due) {
                this.members = members;
                this.due = due;
            }

            int missing() {
                return accepted ? members.size() - Integer.bitCount(received) : 0;
            }
        }

        private final Map<UUID, Expected> messages = new ConcurrentHashMap<>();
        private final Recorder latency = new Recorder(3);
        private final AtomicLong duplicates = new AtomicLong();
        private final AtomicLong toNonMembers = new AtomicLong();

        @Override
        public IntConsumer due(Population.Room room, UUID messageId, long due) {
            Expected expected = new Expected(room.members(), due);
            messages.put(messageId, expected);
            return status -> expected.accepted = status == 202;
        }

        /** A message event on {@code member}'s stream, received at {@code now} (nanoTime). */
        void received(Population.Member member, UUID messageId, long now) {
            Expected expected = messages.get(messageId);
            if (expected == null) {
                return; // sent in a warm-up or an earlier step
            }
            int index = expected.members.indexOf(member);
            if (index < 0) {
                toNonMembers.incrementAndGet();
                return;
            }
            synchronized (expected) {
                if ((expected.received & 1 << index) != 0) {
                    duplicates.incrementAndGet();
                    return;
                }
                expected.received |= 1 << index;
            }
            latency.recordValue(Math.max(1, (now - expected.due) / 1000));
        }

        /** Deliveries expected: every member of every accepted message. */
        long expected() {
            return messages.values().stream().filter(e -> e.accepted).mapToLong(e -> e.members.size()).sum();
        }

        long missing() {
            return messages.values().stream().mapToLong(Expected::missing).sum();
        }

        /** Waits until every accepted message reached every member; returns how long it took (ms), or -1. */
        long awaitAll(Duration timeout) {
            long begin = System.nanoTime();
            while (System.nanoTime() - begin < timeout.toNanos()) {
                if (messages.values().stream().allMatch(e -> e.missing() == 0)) {
                    return (System.nanoTime() - begin) / 1_000_000;
                }
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
            return -1;
        }
    }

    @Override
    public Result run() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("mode", "open-loop, rate stepped up while steps pass");
        parameters.put("start_rate_per_s", startRate);
        parameters.put("factor", factor);
        parameters.put("max_rate_per_s", maxRate);
        parameters.put("step_duration_s", stepDuration.toSeconds());
        parameters.put("warmup_s", warmup.toSeconds());
        parameters.put("hub_warmup_s", hubWarmup.toSeconds());
        parameters.put("slo_p99_ms", sloMs);
        parameters.put("min_achieved_pct", Math.round(MIN_ACHIEVED * 100));
        parameters.put("drain_s", DRAIN.toSeconds());
        parameters.put("users", users);
        parameters.put("conversations", conversations);
        parameters.put("text_bytes", "200-2000");
        Result result = new Result("sustained", parameters);
        Population population = Population.create(endpoints.gatewayUrl(), endpoints.admin().password(), users,
                conversations, 3, 3);
        Set<Population.Member> members = population.rooms().stream().flatMap(room -> room.members().stream())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        log.info("sustained: {} users, {} conversations of 3; opening {} streams", users, conversations, members.size());
        List<SseReader> streams = new ArrayList<>();
        List<Map<String, Object>> steps = new ArrayList<>();
        Integer sustained = null;
        try (ConsumerLag lag = new ConsumerLag(endpoints.env().get("KAFKA_BOOTSTRAP_SERVERS"))) {
            members.forEach(member -> streams.add(new SseReader(endpoints.gatewayUrl(), member.token(),
                    frame -> onStreamed(member, frame), reconnects)));
            streams.forEach(SseReader::awaitReady);
            for (int rate = startRate; ; rate = (int) Math.min(maxRate, Math.max(rate + 1L, Math.round(rate * factor)))) {
                Map<String, Object> step = step(rate, steps.isEmpty() ? hubWarmup : warmup, population, lag);
                steps.add(step);
                if (!(Boolean) step.get("passed")) {
                    break;
                }
                sustained = rate;
                if (rate >= maxRate) {
                    break;
                }
            }
        } finally {
            streams.forEach(SseReader::close);
        }
        result.put("steps", steps);
        result.put("sustained_rate", sustained);
        return result;
    }

    /** A frame of a member's stream: its message events count against the current step. */
    private void onStreamed(Population.Member member, JsonNode frame) {
        long now = System.nanoTime();
        if ("message".equals(frame.path("type").asString()) && frame.hasNonNull("message_id")) {
            current.received(member, UUID.fromString(frame.path("message_id").asString()), now);
        }
    }

    /** One step at {@code rate}: the load, then what the streams, PostgreSQL, the processes and Kafka say about it. */
    private Map<String, Object> step(int rate, Duration warmup, Population population, ConsumerLag lag) {
        Deliveries deliveries = new Deliveries();
        current = deliveries;
        long reconnectsBefore = reconnects.get();
        AcceptScenario.Measured measured = AcceptScenario.measure("sustained@" + rate, population, rate, 0, warmup,
                stepDuration, root, false, deliveries);
        Instant to = Instant.now();
        Map<String, Object> lagAtEnd = lag.now();
        long caughtUp = deliveries.awaitAll(DRAIN);
        long expected = deliveries.expected();
        long missing = deliveries.missing();
        long duplicates = deliveries.duplicates.get();
        long toNonMembers = deliveries.toNonMembers.get();
        Histogram streamed = deliveries.latency.getIntervalHistogram();
        Set<String> rooms = population.rooms().stream().map(Population.Room::id).collect(Collectors.toSet());
        Histogram stored = stored(rooms, measured.from(), to, expected);
        long storedMissing = Math.max(0, expected - stored.getTotalCount());
        Map<Integer, Long> statuses = measured.load().statuses().getOrDefault("send", Map.of());
        long serverErrors = statuses.entrySet().stream().filter(e -> e.getKey() >= 500 && e.getKey() <= 599)
                .mapToLong(Map.Entry::getValue).sum();
        double accepted = measured.acceptedPerSecond();
        double storedP99 = stored.getValueAtPercentile(99) / 1000.0;
        double streamedP99 = streamed.getValueAtPercentile(99) / 1000.0;

        List<String> failures = new ArrayList<>();
        if (storedP99 > sloMs) {
            failures.add(String.format("accept→stored p99 %.1f ms > %d ms", storedP99, sloMs));
        }
        if (streamedP99 > sloMs) {
            failures.add(String.format("accept→stream p99 %.1f ms > %d ms", streamedP99, sloMs));
        }
        if (accepted < MIN_ACHIEVED * rate) {
            failures.add(String.format("%.1f accepted/s < %.0f %% of %d/s", accepted, MIN_ACHIEVED * 100, rate));
        }
        if (missing > 0 || duplicates > 0 || toNonMembers > 0) {
            failures.add(String.format("stream deliveries: %d missing, %d duplicated, %d to non-members", missing,
                    duplicates, toNonMembers));
        }
        if (storedMissing > 0) {
            failures.add(storedMissing + " copies not stored");
        }
        if (serverErrors > 0) {
            failures.add(serverErrors + " answers 5xx");
        }

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rate_per_s", rate);
        figures.put("passed", failures.isEmpty());
        if (!failures.isEmpty()) {
            figures.put("failed_because", failures);
        }
        figures.put("accepted_per_s", accepted);
        figures.put("achieved_pct", Math.round(accepted * 1000 / rate) / 10.0);
        figures.put("requests", measured.load().all().getTotalCount());
        figures.put("responses_by_status", statuses);
        figures.put("accept_latency_ms", LoadDriver.percentiles(measured.load().all()));
        figures.put("accept_to_stored_ms", LoadDriver.percentiles(stored));
        figures.put("stored_copies", stored.getTotalCount());
        figures.put("stored_copies_missing", storedMissing);
        figures.put("accept_to_stream_ms", LoadDriver.percentiles(streamed));
        figures.put("stream_deliveries_expected", expected);
        figures.put("stream_deliveries_missing", missing);
        figures.put("stream_deliveries_duplicated", duplicates);
        figures.put("stream_deliveries_to_non_members", toNonMembers);
        figures.put("stream_reconnects", reconnects.get() - reconnectsBefore);
        figures.put("streams_caught_up_after_ms", caughtUp);
        figures.put("cpu_ms_per_accepted", measured.cpuPerAccepted());
        figures.put("kafka_offsets_per_accepted", measured.kafkaRecordsPerAccepted());
        figures.put("hub_processes", measured.processes());
        figures.put("consumer_lag_at_end", lagAtEnd);
        log.info(String.format("sustained: %d/s %s: %.1f accepted/s (%.1f %%), accept→stored p99 %.1f ms, accept→stream"
                        + " p99 %.1f ms, %d deliveries (%d missing, %d duplicated), %d × 5xx, CPU %s ms per accepted message%s",
                rate, failures.isEmpty() ? "PASSED" : "FAILED", accepted, accepted * 100 / rate, storedP99, streamedP99,
                expected, missing, duplicates, serverErrors, measured.cpuPerAccepted().get("all_ms"),
                failures.isEmpty() ? "" : " (" + String.join("; ", failures) + ")"));
        return figures;
    }

    /**
     * Accept → stored of the step's copies, read again (each second, for up to {@link #DRAIN}) until
     * {@code copies} are stored.
     */
    private Histogram stored(Set<String> rooms, Instant from, Instant to, long copies) {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (true) {
            Histogram stored = E2eScenario.acceptToStored(endpoints.env(), rooms, from, to);
            if (stored.getTotalCount() >= copies || System.nanoTime() > deadline) {
                return stored;
            }
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        }
    }
}
