package io.chat4all.hub.bench;

import io.chat4all.hub.localstack.cli.Endpoints;
import io.chat4all.hub.localstack.junit.HubApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./hub bench hostile}: at least 10,000 generated hostile requests over every operation of
 * the gateway's OpenAPI document and the channel webhooks (see {@link HostileRequests}), as an
 * outsider, as a member, with no, forged or overlong credentials; then a canary message that must
 * still be stored, streamed and searchable. The bar: no 5xx, no stack trace in any answer, no
 * outsider reading or writing the victims' conversation, a canary that arrives.
 */
public final class HostileScenario implements Scenario {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");
    private static final List<String> STACK_TRACE = List.of("\tat ", "java.lang.", "Caused by:", "Exception:", ".java:");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Endpoints endpoints;
    private final int requests;
    private final int concurrency;
    private final long seed;
    private final Map<String, AtomicLong> byStatus = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> serverErrorsByOperation = new ConcurrentHashMap<>();
    private final List<String> samples = new CopyOnWriteArrayList<>();
    private final AtomicLong stackTraces = new AtomicLong();
    private final AtomicLong crossUserReads = new AtomicLong();
    private final AtomicLong crossUserWrites = new AtomicLong();

    private final Map<String, Object> summary = new LinkedHashMap<>();

    public HostileScenario(Endpoints endpoints, Map<String, String> options) {
        this.endpoints = endpoints;
        this.requests = Integer.parseInt(options.getOrDefault("requests", "12000"));
        this.concurrency = Integer.parseInt(options.getOrDefault("concurrency", "16"));
        this.seed = Long.parseLong(options.getOrDefault("seed", "16"));
    }

    /** Runs the barrage and the canary; returns the figures (requests, by_status, server_errors, …, passed). */
    public Map<String, Object> barrage() {
        run();
        return summary;
    }

    @Override
    public Result run() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("requests", requests);
        parameters.put("concurrency", concurrency);
        parameters.put("seed", seed);
        Result result = new Result("hostile", parameters);
        String gateway = endpoints.gatewayUrl();
        HubApi api = new HubApi(gateway);
        String run = UUID.randomUUID().toString().substring(0, 6);
        String admin = api.login(endpoints.admin().username(), endpoints.admin().password());
        UUID alice = api.createUser(admin, "hostile-alice-" + run, "alice-password");
        UUID bob = api.createUser(admin, "hostile-bob-" + run, "bob-password");
        api.createUser(admin, "hostile-mallory-" + run, "mallory-password");
        String aliceToken = api.login("hostile-alice-" + run, "alice-password");
        String bobToken = api.login("hostile-bob-" + run, "bob-password");
        String malloryToken = api.login("hostile-mallory-" + run, "mallory-password");
        String secret = "victimsecret" + run;
        String conversation = api.post("/v1/conversations", aliceToken, "{\"type\":\"private\",\"members\":[\"" + bob
                + "\"]}").body().path("conversation_id").asString();
        String messageId = UUID.randomUUID().toString();
        api.post("/v1/messages", aliceToken, "{\"message_id\":\"" + messageId + "\",\"conversation_id\":\"" + conversation
                + "\",\"payload\":{\"type\":\"text\",\"text\":\"" + secret + "\"}}");
        String fileId = api.post("/v1/files", aliceToken, "{\"filename\":\"" + secret + ".txt\",\"size\":3,"
                + "\"content_type\":\"text/plain\",\"sha256\":\"" + "a".repeat(64) + "\"}").body().path("file_id").asString("");
        String jobId = api.post("/v1/admin/archive", admin, "{\"user_id\":\"" + alice + "\",\"older_than\":\"P3650D\"}")
                .body().path("job_id").asString("");
        String apiKey = api.post("/v1/api-keys", admin, "{\"name\":\"hostile-" + run + "\"}").body().path("api_key").asString();
        HostileRequests.Victims victims = new HostileRequests.Victims(conversation, messageId, fileId, jobId, alice);
        List<HostileRequests.Caller> callers = List.of(
                new HostileRequests.Caller("outsider", "Bearer " + malloryToken, true),
                new HostileRequests.Caller("outsider", "Bearer " + malloryToken, true),
                new HostileRequests.Caller("outsider", "Bearer " + malloryToken, true),
                new HostileRequests.Caller("member", "Bearer " + aliceToken, false),
                new HostileRequests.Caller("integrator", "Bearer " + apiKey, false),
                new HostileRequests.Caller("anonymous", null, false),
                new HostileRequests.Caller("forged", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.", false),
                new HostileRequests.Caller("garbage", "Basic \u00ff\u00fe" + "%00", false),
                new HostileRequests.Caller("overlong", "Bearer " + "A".repeat(70_000), false));
        JsonNode openApi = api.get("/v3/api-docs", null).body();
        int operations = countOperations(openApi);
        List<HostileRequests.Probe> probes = new ArrayList<>(new HostileRequests(openApi, victims, callers, seed)
                .generate(Math.max(1, requests / Math.max(1, operations))));
        probes.addAll(webhookProbes());
        Collections.shuffle(probes, new java.util.Random(seed));
        log.info("hostile: {} requests over {} operations and the webhooks, {} at a time", probes.size(), operations,
                concurrency);
        long t0 = System.nanoTime();
        send(gateway, probes, secret, conversation);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> canary = canary(gateway, aliceToken, bobToken, conversation);
        long serverErrors = byStatus.entrySet().stream().filter(e -> e.getKey().startsWith("5"))
                .mapToLong(e -> e.getValue().get()).sum();
        summary.put("requests", probes.size());
        summary.put("seconds", Math.round(seconds * 10) / 10.0);
        summary.put("by_status", counts(byStatus));
        summary.put("server_errors", serverErrors);
        summary.put("server_errors_by_operation", counts(serverErrorsByOperation));
        summary.put("stack_traces", stackTraces.get());
        summary.put("cross_user_reads", crossUserReads.get());
        summary.put("cross_user_writes", crossUserWrites.get());
        summary.put("canary", canary);
        summary.put("passed", serverErrors == 0 && stackTraces.get() == 0 && crossUserReads.get() == 0
                && crossUserWrites.get() == 0 && Boolean.TRUE.equals(canary.get("arrived")));
        summary.put("samples", List.copyOf(samples.subList(0, Math.min(10, samples.size()))));
        summary.forEach((name, value) -> {
            if (!name.equals("samples")) {
                result.put(name, value);
            }
        });
        samples.stream().limit(10).forEach(s -> log.warn("hostile: {}", s));
        return result;
    }

    private void send(String gateway, List<HostileRequests.Probe> probes, String secret, String conversation) {
        Semaphore slots = new Semaphore(concurrency);
        AtomicLong done = new AtomicLong();
        for (HostileRequests.Probe probe : probes) {
            slots.acquireUninterruptibly();
            String base = probe.path().startsWith("/webhooks/") ? webhookBase() : gateway;
            HttpRequest request;
            try {
                HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + probe.path()))
                        .timeout(Duration.ofSeconds(probe.path().startsWith("/v1/stream") ? 3 : 30));
                probe.headers().forEach((name, value) -> {
                    try {
                        builder.header(name, value);
                    } catch (IllegalArgumentException refused) {
                        // the client refuses to send this header at all (e.g. a control character)
                    }
                });
                request = builder.method(probe.method(), probe.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(probe.body())).build();
            } catch (IllegalArgumentException unsendable) {
                count("unsendable");
                slots.release();
                continue;
            }
            boolean stream = probe.path().startsWith("/v1/stream");
            // A stream that opens never ends: judge it by its status and close it (a request timeout
            // only covers the wait for the headers).
            HttpResponse.BodyHandler<String> handler = stream
                    ? info -> info.statusCode() == 200 ? new ClosingSubscriber()
                            : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8)
                    : HttpResponse.BodyHandlers.ofString();
            HTTP.sendAsync(request, handler).whenComplete((response, error) -> {
                try {
                    if (error != null) {
                        count("connection_closed");
                    } else {
                        judge(probe, response, secret, conversation);
                    }
                } finally {
                    slots.release();
                    long n = done.incrementAndGet();
                    if (n % 2_000 == 0) {
                        log.info("hostile: {} of {} answered", n, probes.size());
                    }
                }
            });
        }
        slots.acquireUninterruptibly(concurrency);
    }

    private void judge(HostileRequests.Probe probe, HttpResponse<String> response, String secret, String conversation) {
        int status = response.statusCode();
        count(Integer.toString(status));
        String body = response.body() == null ? "" : response.body();
        if (status >= 500) {
            serverErrorsByOperation.computeIfAbsent(probe.operation(), k -> new AtomicLong()).incrementAndGet();
            sample(probe, status, body);
        }
        if (STACK_TRACE.stream().anyMatch(body::contains)) {
            stackTraces.incrementAndGet();
            sample(probe, status, body);
        }
        if (probe.caller().outsider() && status >= 200 && status < 300) {
            if (probe.method().equals("GET") && (body.contains(secret) || body.contains(conversation))) {
                crossUserReads.incrementAndGet();
                sample(probe, status, body);
            }
            if (!probe.method().equals("GET") && probe.path().contains(conversation)
                    || probe.operation().equals("POST /v1/messages") && status == 202) {
                crossUserWrites.incrementAndGet();
                sample(probe, status, body);
            }
        }
    }

    /** Forged, unsigned, oversized and replayed webhook calls to the WhatsApp adapter. */
    private List<HostileRequests.Probe> webhookProbes() {
        List<HostileRequests.Probe> probes = new ArrayList<>();
        if (webhookBase() == null) {
            return probes;
        }
        HostileRequests.Caller provider = new HostileRequests.Caller("provider", null, false);
        String envelope = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\","
                + "\"value\":{\"messages\":[{\"from\":\"5511999999999\",\"id\":\"wamid.forged\",\"timestamp\":\"1\","
                + "\"type\":\"text\",\"text\":{\"body\":\"forged \\u0000\"}}]}}]}]}";
        List<Map<String, String>> signatures = List.of(Map.of(), Map.of("X-Hub-Signature-256", "sha256=" + "0".repeat(64)),
                Map.of("X-Hub-Signature-256", "sha256=zz"), Map.of("X-Hub-Signature-256", "md5=abc"),
                Map.of("X-Hub-Signature-256", "sha256=" + "f".repeat(10_000)));
        for (int i = 0; i < 200; i++) {
            Map<String, String> headers = new LinkedHashMap<>(signatures.get(i % signatures.size()));
            headers.put("Content-Type", "application/json");
            byte[] body = (i % 7 == 0 ? "{\"object\":" + "[".repeat(4_000) : envelope).getBytes(StandardCharsets.UTF_8);
            probes.add(new HostileRequests.Probe("POST /webhooks/whatsapp", "POST", "/webhooks/whatsapp", headers, body,
                    provider, "forged_signature"));
            probes.add(new HostileRequests.Probe("GET /webhooks/whatsapp", "GET", "/webhooks/whatsapp?hub.mode=subscribe"
                    + "&hub.verify_token=wrong&hub.challenge=%00" + i, Map.of(), null, provider, "wrong_verify_token"));
        }
        return probes;
    }

    private String webhookBase() {
        Endpoints.Service whatsapp = endpoints.services().get("channel-whatsapp");
        return whatsapp == null ? null : whatsapp.url();
    }

    /** After the barrage: a message from Alice must reach Bob's open stream, his history and search. */
    private Map<String, Object> canary(String gateway, String aliceToken, String bobToken, String conversation) {
        Map<String, Object> canary = new LinkedHashMap<>();
        String text = "canary" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        AtomicLong streamed = new AtomicLong();
        HubApi api = new HubApi(gateway);
        try (SseReader reader = new SseReader(gateway, bobToken, frame -> {
            if (frame.toString().contains(text)) {
                streamed.incrementAndGet();
            }
        }, new AtomicLong())) {
            reader.awaitReady();
            int accepted = api.post("/v1/messages", aliceToken, "{\"message_id\":\"" + UUID.randomUUID()
                    + "\",\"conversation_id\":\"" + conversation + "\",\"payload\":{\"type\":\"text\",\"text\":\"" + text
                    + "\"}}").status();
            canary.put("accepted_status", accepted);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            boolean stored = false;
            boolean searchable = false;
            while (System.nanoTime() < deadline && !(stored && searchable && streamed.get() > 0)) {
                stored = stored || api.get("/v1/conversations/" + conversation + "/messages", bobToken).raw().contains(text);
                searchable = searchable || api.get("/v1/search?q=" + text, bobToken).body().path("hits").size() > 0;
                LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
            }
            canary.put("streamed", streamed.get() > 0);
            canary.put("stored", stored);
            canary.put("searchable", searchable);
            canary.put("arrived", accepted == 202 && streamed.get() > 0 && stored && searchable);
        }
        return canary;
    }

    private static int countOperations(JsonNode openApi) {
        int n = 0;
        for (Map.Entry<String, JsonNode> path : openApi.path("paths").properties()) {
            n += path.getValue().size();
        }
        return n;
    }

    private void count(String key) {
        byStatus.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    private void sample(HostileRequests.Probe probe, int status, String body) {
        if (samples.size() < 50) {
            samples.add(status + " for " + probe.operation() + " (" + probe.caller().name() + ", " + probe.mutation()
                    + ") " + probe.path().substring(0, Math.min(120, probe.path().length())) + ": "
                    + body.substring(0, Math.min(300, body.length())));
        }
    }

    /** Takes an open event stream's headers and closes it at once (its body never ends). */
    private static final class ClosingSubscriber implements HttpResponse.BodySubscriber<String> {

        @Override
        public java.util.concurrent.CompletionStage<String> getBody() {
            return java.util.concurrent.CompletableFuture.completedFuture("");
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
            subscription.cancel();
        }

        @Override
        public void onNext(List<java.nio.ByteBuffer> item) {
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    }

    private static Map<String, Long> counts(Map<String, AtomicLong> counters) {
        Map<String, Long> counts = new TreeMap<>();
        counters.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }
}
