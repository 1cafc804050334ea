package io.chat4all.hub.bench;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.chat4all.hub.localstack.cli.Endpoints;
import io.chat4all.hub.localstack.junit.HubApi;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.databind.JsonNode;

/**
 * {@code channels}: what one channel adapter sustains against the provider simulator, and how long
 * a provider's status webhook takes to be visible in the status API.
 *
 * <ol>
 *   <li>Send rate: {@code messages} messages to groups of 10 WhatsApp recipients (one delivery per
 *       recipient, spread over the topic's partitions) are accepted as fast as the gateway takes
 *       them; the rate is read from the simulator's own receive times, leaving out the first
 *       second's burst.</li>
 *   <li>Webhook → visible: {@code samples} single-recipient messages, one at a time; the status API
 *       is polled every 5 ms and the time each step first shows is compared with the time the
 *       simulator started that step's webhook POST. The same samples give accept → {@code sent}
 *       from the hub's own timestamps in the status history.</li>
 * </ol>
 */
final class ChannelsScenario implements Scenario {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");

    private static final Duration WAIT = Duration.ofMinutes(5);

    private final HubApi api;
    private final HubApi simulator;
    private final String adminPassword;
    private final int recipients;
    private final int messages;
    private final int samples;
    private final String runPrefix = "5521" + (100_000 + ThreadLocalRandom.current().nextInt(899_999));

    ChannelsScenario(Endpoints endpoints, Map<String, String> options) {
        this.api = new HubApi(endpoints.gatewayUrl());
        Endpoints.Service sim = endpoints.services().get("provider-simulator");
        if (sim == null) {
            throw new IllegalStateException("the hub runs without the provider simulator; this scenario needs it");
        }
        this.simulator = new HubApi(sim.url());
        this.adminPassword = endpoints.admin().password();
        this.recipients = Integer.parseInt(options.getOrDefault("recipients", "50"));
        this.messages = Integer.parseInt(options.getOrDefault("messages", "40"));
        this.samples = Integer.parseInt(options.getOrDefault("samples", "30"));
    }

    @Override
    public Result run() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("recipients", recipients);
        parameters.put("messages", messages);
        parameters.put("samples", samples);
        Result result = new Result("channels", parameters);
        String admin = api.login("admin", adminPassword);
        Person sender = person(admin, "bench-sender", null);
        log.info("channels: creating " + recipients + " WhatsApp recipients (numbers " + runPrefix + "…)");
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            people.add(person(admin, "bench-r" + i, runPrefix + String.format("%03d", i)));
        }
        sendRate(result, sender, people);
        webhookLatency(result, sender, people.get(0));
        return result;
    }

    private void sendRate(Result result, Person sender, List<Person> people) {
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < people.size(); i += 10) {
            groups.add(conversation(sender, people.subList(i, Math.min(people.size(), i + 10))));
        }
        int deliveries = 0;
        Instant start = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> sends = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            String conversation = groups.get(i % groups.size());
            sends.add(pool.submit(() -> send(sender, conversation, "bench delivery").status()));
            deliveries += Math.min(10, people.size() - (i % groups.size()) * 10);
        }
        long accepted = sends.stream().filter(f -> join(f) == 202).count();
        pool.shutdown();
        log.info(String.format("channels: %d messages accepted in %.1f s, %d deliveries to make", accepted,
                Duration.between(start, Instant.now()).toMillis() / 1000.0, deliveries));
        List<Instant> received = awaitRequests(deliveries);
        Instant first = received.get(0);
        Instant last = received.get(received.size() - 1);
        List<Instant> steady = received.stream().filter(t -> t.isAfter(first.plusSeconds(1))).toList();
        double steadyRate = steady.size() < 2 ? 0 : (steady.size() - 1)
                / (Duration.between(steady.get(0), steady.get(steady.size() - 1)).toNanos() / 1e9);
        result.put("deliveries", received.size());
        result.put("send_window_s", Duration.between(first, last).toMillis() / 1000.0);
        result.put("overall_sends_per_s", round((received.size() - 1) / (Duration.between(first, last).toNanos() / 1e9)));
        result.put("steady_sends_per_s", round(steadyRate));
    }

    private void webhookLatency(Result result, Person sender, Person recipient) {
        String conversation = conversation(sender, List.of(recipient));
        Map<String, List<Double>> perStep = new LinkedHashMap<>();
        List<Double> acceptToSent = new ArrayList<>();
        log.info("channels: " + samples + " webhook → visible samples, one message at a time");
        for (int i = 0; i < samples; i++) {
            String text = "latency sample " + runPrefix + "-" + i;
            UUID messageId = UUID.randomUUID();
            HubApi.Response accepted = api.post("/v1/messages", sender.token(), body(messageId, conversation, text));
            if (accepted.status() != 202) {
                throw new IllegalStateException("send failed: " + accepted.raw());
            }
            Map<String, Instant> visible = pollUntilRead(sender, messageId);
            acceptToSent(sender, messageId).ifPresent(millis -> acceptToSent.add(millis));
            String wamid = providerId(recipient.number(), text);
            for (JsonNode hook : simulator.get("/_sim/webhooks?channel=whatsapp&provider_message_id=" + wamid, null)
                    .body().path("webhooks")) {
                String step = hook.path("kind").asString("").replace("status.", "");
                // sent is known from the send's own answer, before Meta's sent webhook: not a webhook latency
                if (!"sent".equals(step) && hook.path("attempt").asInt() == 1 && hook.path("status").asInt() == 200
                        && visible.containsKey(step)) {
                    double millis = Duration.between(Instant.parse(hook.path("sent_at").asString()), visible.get(step))
                            .toNanos() / 1e6;
                    perStep.computeIfAbsent(step, k -> new ArrayList<>()).add(millis);
                }
            }
        }
        perStep.forEach((step, millis) -> result.put("webhook_to_visible_" + step, Latencies.summary(millis)));
        result.put("webhook_to_visible", Latencies.summary(perStep.values().stream().flatMap(List::stream).toList()));
        result.put("accept_to_channel_sent", Latencies.summary(acceptToSent));
    }

    /**
     * Accept → {@code sent} on WhatsApp from the hub's own timestamps in the status history: the
     * message's {@code accepted} step and the delivery's {@code sent} step (stamped when the
     * provider's answer came back).
     */
    private java.util.Optional<Double> acceptToSent(Person sender, UUID messageId) {
        Instant acceptedAt = null;
        Instant sentAt = null;
        for (JsonNode step : api.get("/v1/messages/" + messageId + "/status", sender.token()).body().path("history")) {
            String status = step.path("status").asString("");
            if ("accepted".equals(status) && acceptedAt == null) {
                acceptedAt = Instant.parse(step.path("at").asString());
            } else if ("sent".equals(status) && "whatsapp".equals(step.path("channel").asString("")) && sentAt == null) {
                sentAt = Instant.parse(step.path("at").asString());
            }
        }
        return acceptedAt == null || sentAt == null ? java.util.Optional.empty()
                : java.util.Optional.of(Duration.between(acceptedAt, sentAt).toNanos() / 1e6);
    }

    /** When each step of the message's WhatsApp delivery first shows in the status API (polled every 5 ms). */
    private Map<String, Instant> pollUntilRead(Person sender, UUID messageId) {
        Map<String, Instant> firstSeen = new LinkedHashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!firstSeen.containsKey("read") && System.nanoTime() < deadline) {
            JsonNode status = api.get("/v1/messages/" + messageId + "/status", sender.token()).body();
            Instant now = Instant.now();
            for (JsonNode step : status.path("history")) {
                if ("whatsapp".equals(step.path("channel").asString(""))) {
                    firstSeen.putIfAbsent(step.path("status").asString(), now);
                }
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        return firstSeen;
    }

    /** The wamid the simulator gave the send of {@code text} to {@code number}. */
    private String providerId(String number, String text) {
        for (JsonNode r : simulator.get("/_sim/requests?channel=whatsapp&recipient=" + number, null).body()
                .path("requests")) {
            if (text.equals(r.path("body").path("text").path("body").asString(""))) {
                return r.path("provider_message_id").asString();
            }
        }
        throw new IllegalStateException("the simulator has no request with text " + text);
    }

    private List<Instant> awaitRequests(int expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Instant> received = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            received.clear();
            for (JsonNode r : simulator.get("/_sim/requests?channel=whatsapp", null).body().path("requests")) {
                if (r.path("status").asInt() == 200 && r.path("recipient").asString("").startsWith(runPrefix)) {
                    received.add(Instant.parse(r.path("received_at").asString()));
                }
            }
            log.info("channels: the simulator received {} of {} deliveries", received.size(), expected);
            if (received.size() >= expected) {
                break;
            }
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
        }
        received.sort(null);
        return received;
    }

    private record Person(UUID id, String token, String number) {
    }

    private Person person(String admin, String name, String whatsapp) {
        String username = name + "-" + runPrefix;
        String channels = whatsapp == null ? "{}" : "{\"whatsapp\":\"+" + whatsapp + "\"}";
        HubApi.Response created = api.post("/v1/users", admin, "{\"username\":\"" + username + "\",\"password\":\""
                + "bench-password\",\"display_name\":\"" + name + "\",\"channels\":" + channels + "}");
        if (created.status() != 201) {
            throw new IllegalStateException("creating " + username + " failed: " + created.raw());
        }
        return new Person(UUID.fromString(created.body().path("user_id").asString()), api.login(username, "bench-password"),
                whatsapp);
    }

    private String conversation(Person creator, List<Person> members) {
        StringBuilder ids = new StringBuilder();
        for (Person member : members) {
            ids.append(ids.length() == 0 ? "" : ",").append('"').append(member.id()).append('"');
        }
        HubApi.Response created = api.post("/v1/conversations", creator.token(),
                "{\"type\":\"group\",\"name\":\"bench\",\"members\":[" + ids + "]}");
        if (created.status() != 201) {
            throw new IllegalStateException("creating a conversation failed: " + created.raw());
        }
        return created.body().path("conversation_id").asString();
    }

    private HubApi.Response send(Person sender, String conversation, String text) {
        return api.post("/v1/messages", sender.token(), body(UUID.randomUUID(), conversation, text));
    }

    private static String body(UUID messageId, String conversation, String text) {
        return "{\"message_id\":\"" + messageId + "\",\"conversation_id\":\"" + conversation
                + "\",\"payload\":{\"type\":\"text\",\"text\":\"" + text + "\"},\"channels\":[\"whatsapp\"]}";
    }

    private static int join(Future<Integer> future) {
        try {
            return future.get();
        } catch (Exception e) {
            return -1;
        }
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
