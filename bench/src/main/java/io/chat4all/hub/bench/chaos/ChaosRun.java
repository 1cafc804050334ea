package io.chat4all.hub.bench.chaos;

import io.chat4all.hub.localstack.junit.HubApi;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A chaos run: a steady load of group messages with WhatsApp deliveries through two gateways
 * while every part of the hub is killed with SIGKILL and started again in turn (the broker, the
 * database, the router, storage-writer, the WhatsApp adapter, the indexer, one gateway), then a
 * check of everything the clients were told was accepted. Used by {@code ./hub chaos} and, with a
 * shorter load, by the end-to-end test suite.
 */
public final class ChaosRun {

    private static final Logger log = LoggerFactory.getLogger("hub.chaos");
    /** A loaded 2-core box catching up on the backlog of a broker restart took over 4 minutes once. */
    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(8);

    /**
     * @param rate       messages per second the clients send
     * @param groups     groups of three users the messages go to
     * @param warmup     load before the first fault
     * @param faultEvery time from one fault to the next (the load runs on throughout)
     * @param downFor    how long a killed part stays down before it is started again
     * @param settle     how long to wait, after the load, for everything to be stored, sent and indexed
     */
    public record Settings(double rate, int groups, Duration warmup, Duration faultEvery, Duration downFor,
                           Duration settle) {
    }

    private ChaosRun() {
    }

    /** Runs the load and the faults against {@code hub} and checks the outcome. */
    public static ChaosReport run(ChaosHub hub, Settings settings) throws SQLException {
        HubApi api = hub.api();
        log.info("chaos: creating {} groups of 3 users", settings.groups());
        ChaosLoad load = ChaosLoad.prepare(api, ChaosHub.ADMIN_PASSWORD, hub.gatewayUrls(), settings.groups(), "5511900");
        ChaosLoad probeUsers = ChaosLoad.prepare(api, ChaosHub.ADMIN_PASSWORD, hub.gatewayUrls(), 1, "5511800");
        ChaosLoad.Group probe = probeUsers.groups().get(0);
        List<ChaosReport.Fault> faults = new ArrayList<>();
        try (load) {
            log.info("chaos: sending {} messages/s through {} gateways", settings.rate(), hub.gatewayUrls().size());
            load.start(settings.rate());
            ChaosLoad.sleep(settings.warmup());
            for (ChaosHub.Part part : hub.parts()) {
                long t0 = System.nanoTime();
                log.info("chaos: kill -9 {} ({} messages accepted so far)", part.name(), load.accepted().size());
                part.kill();
                ChaosLoad.sleep(settings.downFor());
                part.restart();
                double down = seconds(t0);
                String gateway = part.name().equals("api-gateway-2") ? hub.gatewayUrls().get(1) : hub.gatewayUrls().get(0);
                double recovered = probe(gateway, probe) ? seconds(t0) : -1;
                log.info("chaos: {} back after {} s; a probe went through the whole pipeline {} s after the kill",
                        part.name(), round(down), recovered < 0 ? "never" : round(recovered));
                faults.add(new ChaosReport.Fault(part.name(), round(down), round(recovered)));
                Duration left = settings.faultEvery().minusNanos(System.nanoTime() - t0);
                if (!left.isNegative()) {
                    ChaosLoad.sleep(left);
                }
            }
            ChaosLoad.sleep(settings.faultEvery());
            log.info("chaos: stopping the load; waiting for the clients' last answers");
            load.stop();
            log.info("chaos: {} messages accepted ({} intended); checking", load.accepted().size(), load.intended());
            ChaosCheck check = new ChaosCheck(hub.stack(), load, hub.simulator.url(), "messages");
            check.awaitSettled(settings.settle());
            return check.check(faults);
        } finally {
            probeUsers.close();
        }
    }

    /**
     * Sends one message through {@code gateway} (retrying until a 202) and waits until it is stored,
     * sent on WhatsApp and searchable.
     */
    private static boolean probe(String gateway, ChaosLoad.Group group) {
        HubApi api = new HubApi(gateway);
        ChaosLoad.Member sender = group.members().get(1);
        String token = "probe" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        UUID messageId = UUID.randomUUID();
        String body = "{\"message_id\":\"" + messageId + "\",\"conversation_id\":\"" + group.conversationId()
                + "\",\"payload\":{\"type\":\"text\",\"text\":\"" + token + "\"},\"channels\":[\"whatsapp\"]}";
        long deadline = System.nanoTime() + PROBE_TIMEOUT.toNanos();
        boolean accepted = false;
        boolean sent = false;
        boolean searchable = false;
        while (System.nanoTime() < deadline && !(accepted && sent && searchable)) {
            try {
                if (!accepted) {
                    accepted = api.post("/v1/messages", sender.token(), body).status() == 202;
                } else if (!sent) {
                    JsonNode status = api.get("/v1/messages/" + messageId + "/status", sender.token()).body();
                    for (JsonNode delivery : status.path("deliveries")) {
                        String s = delivery.path("status").asString("");
                        sent |= "whatsapp".equals(delivery.path("channel").asString(""))
                                && (s.equals("sent") || s.equals("delivered") || s.equals("read"));
                    }
                } else {
                    searchable = api.get("/v1/search?q=" + token, sender.token()).body().path("hits").size() == 1;
                }
            } catch (RuntimeException | AssertionError e) {
                // HubApi reports a failed request (a timeout while the hub catches up) as an AssertionError
                log.debug("chaos: probe: {}", e.getMessage());
            }
            if (!(accepted && sent && searchable)) {
                ChaosLoad.sleep(Duration.ofMillis(250));
            }
        }
        if (!(accepted && sent && searchable)) {
            log.warn("chaos: probe {}: accepted {}, sent on WhatsApp {}, searchable {}", messageId, accepted, sent, searchable);
        }
        return accepted && sent && searchable;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }
}
