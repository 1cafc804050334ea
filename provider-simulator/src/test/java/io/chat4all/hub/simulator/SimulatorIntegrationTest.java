package io.chat4all.hub.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The simulator on a random port, sending its webhooks to one local {@link WebhookReceiver}, with short
 * delays so the tests are quick. Subclasses share one application context; each test uses its own
 * recipients, so tests do not see each other's webhooks.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "simulator.delays.sent-ms=10",
        "simulator.delays.delivered-ms=30",
        "simulator.delays.read-ms=60",
        "simulator.webhook.initial-backoff-ms=20",
        "simulator.webhook.timeout-ms=2000",
        "simulator.whatsapp.app-secret=" + SimulatorIntegrationTest.WHATSAPP_SECRET,
        "simulator.instagram.app-secret=" + SimulatorIntegrationTest.INSTAGRAM_SECRET,
        "simulator.instagram.business-id=" + SimulatorIntegrationTest.INSTAGRAM_BUSINESS_ID})
abstract class SimulatorIntegrationTest {

    static final String WHATSAPP_SECRET = "test-whatsapp-secret";
    static final String INSTAGRAM_SECRET = "test-instagram-secret";
    static final String INSTAGRAM_BUSINESS_ID = "17841400000000042";
    static final String PHONE_NUMBER_ID = "106540352242922";
    static final String WHATSAPP_SEND = "/whatsapp/v21.0/" + PHONE_NUMBER_ID + "/messages";
    static final String INSTAGRAM_SEND = "/instagram/v21.0/me/messages";

    static final WebhookReceiver RECEIVER = WebhookReceiver.start();

    @DynamicPropertySource
    static void webhookUrls(DynamicPropertyRegistry registry) {
        registry.add("simulator.whatsapp.webhook-url", () -> RECEIVER.url("/webhooks/whatsapp"));
        registry.add("simulator.instagram.webhook-url", () -> RECEIVER.url("/webhooks/instagram"));
    }

    @Value("${local.server.port}")
    int port;

    SimulatorClient simulator() {
        return new SimulatorClient(port);
    }

    /** A phone number no other test uses (E.164 digits without '+'). */
    static String newPhoneNumber() {
        return "55" + ThreadLocalRandom.current().nextLong(10_000_000_000L, 100_000_000_000L);
    }

    /** An IGSID no other test uses. */
    static String newIgsid() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000_000_000L, 9_000_000_000_000_000L));
    }

    static Map<String, Object> whatsappText(String to, String text) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messaging_product", "whatsapp");
        body.put("recipient_type", "individual");
        body.put("to", to);
        body.put("type", "text");
        body.put("text", Map.of("body", text));
        return body;
    }

    static Map<String, Object> instagramText(String igsid, String text) {
        return Map.of("recipient", Map.of("id", igsid), "message", Map.of("text", text));
    }
}
