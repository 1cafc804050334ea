package io.chat4all.hub.bench;

import io.chat4all.hub.localstack.cli.Endpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mixed}: what a chat app does to the hub. Many users in small rooms (2–5 members), each
 * operation a random member of a random room: sending a message, reading the newest history page,
 * listing their conversations, opening a conversation. Open loop at {@code --rate} operations a
 * second (users act when they want, not when the hub is ready); the warm-up also fills the rooms'
 * history. Per operation: rate, latency percentiles, answers by status.
 */
final class MixedScenario implements Scenario {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");

    private final String gatewayUrl;
    private final String adminPassword;
    private final Path root;
    private final int rate;
    private final int users;
    private final int rooms;
    private final int sendPct;
    private final int historyPct;
    private final int listPct;
    private final Duration warmup;
    private final Duration duration;

    MixedScenario(Endpoints endpoints, Map<String, String> options, Path root) {
        this.gatewayUrl = endpoints.gatewayUrl();
        this.adminPassword = endpoints.admin().password();
        this.root = root;
        this.rate = Integer.parseInt(options.getOrDefault("rate", "400"));
        this.users = Integer.parseInt(options.getOrDefault("users", "200"));
        this.rooms = Integer.parseInt(options.getOrDefault("rooms", "100"));
        this.sendPct = Integer.parseInt(options.getOrDefault("send-pct", "30"));
        this.historyPct = Integer.parseInt(options.getOrDefault("history-pct", "40"));
        this.listPct = Integer.parseInt(options.getOrDefault("list-pct", "20"));
        this.warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "30")));
        this.duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "60")));
        if (sendPct + historyPct + listPct > 100) {
            throw new IllegalArgumentException("--send-pct + --history-pct + --list-pct must not exceed 100"
                    + " (the rest opens a conversation)");
        }
    }

    @Override
    public Result run() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("mode", "open-loop");
        parameters.put("rate_per_s", rate);
        parameters.put("users", users);
        parameters.put("rooms", rooms);
        parameters.put("room_size", "2-5");
        parameters.put("mix_pct", Map.of("send", sendPct, "history", historyPct, "conversations", listPct,
                "conversation", 100 - sendPct - historyPct - listPct));
        parameters.put("warmup_s", warmup.toSeconds());
        parameters.put("duration_s", duration.toSeconds());
        Result result = new Result("mixed", parameters);
        Population population = Population.create(gatewayUrl, adminPassword, users, rooms, 2, 5);
        log.info("mixed: {} users in {} rooms of 2-5", users, rooms);
        try (LoadDriver driver = new LoadDriver("mixed", () -> next(population), rate, 0)) {
            log.info("mixed: warming up (and filling history) for {} s", warmup.toSeconds());
            driver.drive(warmup);
            HubProcesses hub = new HubProcesses(root);
            hub.start();
            log.info("mixed: measuring for {} s", duration.toSeconds());
            LoadDriver.Measurement load = driver.drive(duration);
            result.put("operations_per_s", Math.round(load.all().getTotalCount() * 10.0 / load.seconds()) / 10.0);
            result.put("latency_ms_all", LoadDriver.percentiles(load.all()));
            result.put("errors", load.errors());
            result.put("operations", load.byOperation());
            result.put("hub_processes", hub.finish());
        }
        return result;
    }

    private LoadDriver.Call next(Population population) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Population.Room room = population.randomRoom();
        Population.Member member = room.members().get(random.nextInt(room.members().size()));
        int dice = random.nextInt(100);
        if (dice < sendPct) {
            return LoadDriver.Call.of("send", population.send(member, room.id(), UUID.randomUUID()));
        }
        if (dice < sendPct + historyPct) {
            return LoadDriver.Call.of("history", population.get(member, "/v1/conversations/" + room.id() + "/messages?limit=50"));
        }
        if (dice < sendPct + historyPct + listPct) {
            return LoadDriver.Call.of("conversations", population.get(member, "/v1/conversations?limit=20"));
        }
        return LoadDriver.Call.of("conversation", population.get(member, "/v1/conversations/" + room.id()));
    }
}
