package io.chat4all.hub.bench;

import io.chat4all.hub.localstack.cli.Endpoints;
import io.chat4all.hub.localstack.junit.HubApi;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * {@code files}: one large attachment (default 1 GiB) uploaded as a client would: presigned parts
 * PUT straight to object storage ({@code --parallel} at a time), then completed, which makes the
 * gateway verify the whole object's SHA-256. Reports upload and verification MB/s, and the
 * gateway's heap (sampled from its Prometheus endpoint every 250 ms) during the run.
 */
final class FilesScenario implements Scenario {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");
    private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\".*} ([0-9.eE+]+)$",
            Pattern.MULTILINE);

    private final HubApi api;
    private final HubApi gatewayActuator;
    private final String gatewayUrl;
    private final String adminPassword;
    private final long size;
    private final int parallel;
    private final HttpClient http = HttpClient.newHttpClient();

    FilesScenario(Endpoints endpoints, Map<String, String> options) {
        this.gatewayUrl = endpoints.gatewayUrl();
        this.api = new HubApi(gatewayUrl);
        this.gatewayActuator = new HubApi(endpoints.services().get("api-gateway").management());
        this.adminPassword = endpoints.admin().password();
        this.size = Long.parseLong(options.getOrDefault("mib", "1024")) << 20;
        this.parallel = Integer.parseInt(options.getOrDefault("parallel", "4"));
    }

    @Override
    public Result run() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("size_bytes", size);
        parameters.put("parallel_parts", parallel);
        Result result = new Result("files", parameters);
        Path file = null;
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try {
            file = Files.createTempFile("hub-bench-", ".bin");
            String sha256 = writeRandom(file);
            String token = api.login("admin", adminPassword);
            AtomicLong maxHeap = new AtomicLong();
            long heapBefore = heap();
            sampler.scheduleAtFixedRate(() -> maxHeap.accumulateAndGet(heap(), Math::max), 0, 250, TimeUnit.MILLISECONDS);

            HubApi.Response started = api.post("/v1/files", token, "{\"filename\":\"bench.bin\",\"size\":" + size
                    + ",\"content_type\":\"application/octet-stream\",\"sha256\":\"" + sha256 + "\"}");
            if (started.status() != 201) {
                throw new IllegalStateException("starting the upload failed: " + started.raw());
            }
            long t0 = System.nanoTime();
            List<String> etags = upload(file, started.body());
            double uploadSeconds = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            HubApi.Response completed = complete(token, started.body(), etags);
            double completeSeconds = (System.nanoTime() - t1) / 1e9;
            if (completed.status() != 200) {
                throw new IllegalStateException("completing failed: " + completed.raw());
            }
            sampler.shutdown();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
            result.put("parts", started.body().path("parts").size());
            result.put("upload_s", round(uploadSeconds));
            result.put("upload_mb_per_s", round(size / 1e6 / uploadSeconds));
            result.put("complete_and_verify_s", round(completeSeconds));
            result.put("verify_mb_per_s", round(size / 1e6 / completeSeconds));
            result.put("gateway_heap_before_mb", round(heapBefore / 1e6));
            result.put("gateway_heap_max_during_mb", round(maxHeap.get() / 1e6));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            sampler.shutdownNow();
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    /** Writes {@code size} random bytes to disk 1 MiB at a time, hashing them on the way. */
    private String writeRandom(Path file) throws IOException {
        log.info("files: writing {} MiB of random bytes to {}", size >> 20, file);
        try (OutputStream out = Files.newOutputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[1 << 20];
            for (long written = 0; written < size; written += chunk.length) {
                ThreadLocalRandom.current().nextBytes(chunk);
                int length = (int) Math.min(chunk.length, size - written);
                digest.update(chunk, 0, length);
                out.write(chunk, 0, length);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> upload(Path file, JsonNode started) throws InterruptedException {
        long partSize = started.path("part_size").asLong();
        List<JsonNode> parts = new ArrayList<>();
        started.path("parts").forEach(parts::add);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<String>> etags = new ArrayList<>();
        for (JsonNode part : parts) {
            etags.add(pool.submit(() -> put(file, part, partSize)));
        }
        List<String> result = new ArrayList<>();
        for (Future<String> etag : etags) {
            try {
                result.add(etag.get());
            } catch (java.util.concurrent.ExecutionException e) {
                pool.shutdownNow();
                throw new IllegalStateException("a part upload failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
        pool.shutdown();
        log.info("files: {} parts uploaded", result.size());
        return result;
    }

    private String put(Path file, JsonNode part, long partSize) throws IOException, InterruptedException {
        long from = (part.path("part_number").asLong() - 1) * partSize;
        byte[] bytes = new byte[(int) Math.min(partSize, size - from)];
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(from);
            in.readFully(bytes);
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(part.path("url").asString()))
                .timeout(Duration.ofMinutes(5)).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("PUT of part " + part.path("part_number") + ": HTTP " + response.statusCode());
        }
        return response.headers().firstValue("ETag").orElseThrow();
    }

    private HubApi.Response complete(String token, JsonNode started, List<String> etags) {
        StringBuilder parts = new StringBuilder();
        for (int i = 0; i < etags.size(); i++) {
            parts.append(i == 0 ? "" : ",").append("{\"part_number\":").append(i + 1).append(",\"etag\":")
                    .append(HubApi.JSON.writeValueAsString(etags.get(i))).append('}');
        }
        log.info("files: completing; the gateway verifies the SHA-256 of {} MiB", size >> 20);
        return new HubApi(gatewayUrl).post("/v1/files/" + started.path("file_id").asString() + "/complete", token,
                "{\"parts\":[" + parts + "]}");
    }

    /** The gateway's used heap, from its Prometheus endpoint (summed over the heap pools). */
    private long heap() {
        String metrics = gatewayActuator.get("/actuator/prometheus", null).raw();
        Matcher m = HEAP.matcher(metrics);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return (long) sum;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
