package io.chat4all.hub.bench.chaos;

import io.chat4all.hub.localstack.junit.HubApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients of a chaos run: users in groups of three (one of each group reachable on WhatsApp),
 * sending at a steady rate through both gateways. A message is sent with its own {@code message_id}
 * until a gateway answers 202 (503, a dropped connection or a dead gateway: the same message again,
 * on the other gateway, after a pause), so every message the clients meant to send is either
 * acknowledged or, after {@link #GIVE_UP}, counted as unacknowledged. The 202s are the ground truth
 * the checker holds the hub to.
 */
final class ChaosLoad implements AutoCloseable {

    static final Duration GIVE_UP = Duration.ofMinutes(4);
    private static final Logger log = LoggerFactory.getLogger("hub.chaos");
    private static final int MAX_OUTSTANDING = 2_000;

    record Member(UUID userId, String token, String whatsapp) {
    }

    record Group(String conversationId, List<Member> members) {
    }

    /** A 202 a client received: which message, in which conversation, from whom, through which gateway. */
    record Accepted(UUID messageId, String conversationId, UUID senderId, int gateway) {
    }

    private final List<String> gateways;
    private final List<Group> groups;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "chaos-load");
        thread.setDaemon(true);
        return thread;
    });
    private final Semaphore outstanding = new Semaphore(MAX_OUTSTANDING);
    private final Map<UUID, Accepted> accepted = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final Map<UUID, String> refused = new ConcurrentHashMap<>();
    private final AtomicLong intended = new AtomicLong();
    private final AtomicLong unacknowledged = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final Random random = new Random(42);
    private volatile boolean running;

    private ChaosLoad(List<String> gateways, List<Group> groups) {
        this.gateways = gateways;
        this.groups = groups;
    }

    /**
     * Creates {@code groupCount} groups of three new users each through {@code api}; the first
     * member of each group has a WhatsApp number (the channel deliveries of the run go to them).
     */
    static ChaosLoad prepare(HubApi api, String adminPassword, List<String> gateways, int groupCount, String numberPrefix) {
        String admin = api.login("admin", adminPassword);
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<Group> groups = new ArrayList<>();
        for (int g = 0; g < groupCount; g++) {
            List<Member> members = new ArrayList<>();
            for (int m = 0; m < 3; m++) {
                String username = "chaos-" + run + "-" + g + "-" + m;
                String whatsapp = m == 0 ? numberPrefix + String.format("%04d", g) : null;
                String channels = whatsapp == null ? "{}" : "{\"whatsapp\":\"+" + whatsapp + "\"}";
                HubApi.Response created = api.post("/v1/users", admin, "{\"username\":\"" + username
                        + "\",\"password\":\"chaos-password\",\"display_name\":\"" + username + "\",\"channels\":"
                        + channels + "}");
                if (created.status() != 201) {
                    throw new IllegalStateException("creating " + username + " failed: " + created.raw());
                }
                members.add(new Member(UUID.fromString(created.body().path("user_id").asString()),
                        api.login(username, "chaos-password"), whatsapp));
            }
            HubApi.Response conversation = api.post("/v1/conversations", members.get(1).token(),
                    "{\"type\":\"group\",\"name\":\"chaos " + g + "\",\"members\":[\"" + members.get(0).userId() + "\",\""
                            + members.get(2).userId() + "\"]}");
            if (conversation.status() != 201) {
                throw new IllegalStateException("creating group " + g + " failed: " + conversation.raw());
            }
            groups.add(new Group(conversation.body().path("conversation_id").asString(), members));
        }
        return new ChaosLoad(gateways, groups);
    }

    List<Group> groups() {
        return groups;
    }

    /** Starts sending {@code rate} messages per second, spread over the groups and their members. */
    void start(double rate) {
        running = true;
        long periodMicros = Math.max(1, Math.round(1_000_000 / rate));
        timer.scheduleAtFixedRate(this::sendOne, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    private void sendOne() {
        if (!running) {
            return;
        }
        if (!outstanding.tryAcquire()) {
            skipped.incrementAndGet();
            return;
        }
        long n = intended.incrementAndGet();
        Group group;
        Member sender;
        synchronized (random) {
            group = groups.get(random.nextInt(groups.size()));
            sender = group.members().get(random.nextInt(3));
        }
        UUID messageId = UUID.randomUUID();
        String body = "{\"message_id\":\"" + messageId + "\",\"conversation_id\":\"" + group.conversationId()
                + "\",\"payload\":{\"type\":\"text\",\"text\":\"chaos message " + n + "\"},\"channels\":[\"whatsapp\"]}";
        attempt(new Attempt(messageId, group, sender, body, System.nanoTime()), (int) (n % gateways.size()));
    }

    private record Attempt(UUID messageId, Group group, Member sender, String body, long firstAt) {
    }

    private void attempt(Attempt a, int gateway) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateways.get(gateway) + "/v1/messages"))
                .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + a.sender().token())
                .POST(HttpRequest.BodyPublishers.ofString(a.body())).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            String outcome = error != null ? "io_error" : Integer.toString(response.statusCode());
            answers.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
            if (error == null && response.statusCode() == 202) {
                accepted.put(a.messageId(), new Accepted(a.messageId(), a.group().conversationId(), a.sender().userId(),
                        gateway));
                outstanding.release();
            } else if (error != null || response.statusCode() == 503 || response.statusCode() == 429
                    || response.statusCode() >= 500) {
                retry(a, gateway);
            } else {
                refused.put(a.messageId(), response.statusCode() + " " + abbreviate(response.body()));
                outstanding.release();
            }
        });
    }

    /** The same message again on the other gateway, after a pause, until {@link #GIVE_UP}. */
    private void retry(Attempt a, int gateway) {
        if (System.nanoTime() - a.firstAt() > GIVE_UP.toNanos()) {
            unacknowledged.incrementAndGet();
            outstanding.release();
            return;
        }
        retries.incrementAndGet();
        long pause;
        synchronized (random) {
            pause = 200 + random.nextInt(800);
        }
        timer.schedule(() -> attempt(a, (gateway + 1) % gateways.size()), pause, TimeUnit.MILLISECONDS);
    }

    /** Stops creating messages and waits until every one in flight is acknowledged or given up. */
    void stop() {
        running = false;
        long deadline = System.nanoTime() + GIVE_UP.plusSeconds(30).toNanos();
        while (outstanding.availablePermits() < MAX_OUTSTANDING && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(200));
        }
        int left = MAX_OUTSTANDING - outstanding.availablePermits();
        if (left > 0) {
            log.warn("chaos: {} messages still unanswered after the give-up time", left);
            unacknowledged.addAndGet(left);
        }
    }

    long intended() {
        return intended.get();
    }

    Map<UUID, Accepted> accepted() {
        return accepted;
    }

    Map<UUID, String> refused() {
        return refused;
    }

    long unacknowledged() {
        return unacknowledged.get();
    }

    long retries() {
        return retries.get();
    }

    long skipped() {
        return skipped.get();
    }

    Map<String, Long> answers() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        answers.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    static void sleep(Duration duration) {
        LockSupport.parkNanos(duration.toNanos());
        if (Thread.interrupted()) {
            throw new IllegalStateException("interrupted");
        }
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }

    @Override
    public void close() {
        running = false;
        timer.shutdownNow();
    }
}
