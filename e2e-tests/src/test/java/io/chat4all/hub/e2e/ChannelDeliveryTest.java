package io.chat4all.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chat4all.hub.localstack.ProviderWiring;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.FileUploadClient;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Messages leave the hub through the channel adapters (processes) to the provider simulator, whose
 * signed status webhooks come back through the adapters into the status API; customers' messages
 * come in the other way.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
class ChannelDeliveryTest {

    private static final Duration PIPELINE = Duration.ofSeconds(90);
    private static final List<String> LIFECYCLE = List.of("in_transit", "sent", "delivered", "read");
    private static final java.util.Comparator<String> BY_RANK = java.util.Comparator.comparingInt(LIFECYCLE::indexOf);

    private HubApi api;
    private Channels channels;
    private String admin;
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void pipelineWithChannels(TestStack stack) {
        api = Pipeline.get(stack).api();
        channels = Channels.get(stack);
        admin = api.login("admin", Pipeline.ADMIN_PASSWORD);
    }

    @Test
    void shouldDeliverToEveryAddressOfEveryRecipientOnceAndReachReadWithTheFullHistory(TestStack stack) throws Exception {
        String bobNumber = newNumber();
        String carolNumber = newNumber();
        String carolIgsid = newIgsid();
        User alice = user("alice", Map.of());
        User bob = user("bob", Map.of("whatsapp", "+" + bobNumber));
        User carol = user("carol", Map.of("whatsapp", "+" + carolNumber, "instagram", carolIgsid));
        String conversation = group(alice, bob, carol);
        UUID messageId = UUID.randomUUID();
        SseClient aliceStream = SseClient.open(Pipeline.get(stack).gatewayUrl(), alice.token(), null);
        aliceStream.take("ready", 1, PIPELINE);

        HubApi.Response accepted = api.post("/v1/messages", alice.token(), "{\"message_id\":\"" + messageId
                + "\",\"conversation_id\":\"" + conversation + "\",\"payload\":{\"type\":\"text\",\"text\":\"Pedido 4512 "
                + "enviado\"},\"channels\":[\"all\"]}");
        assertThat(accepted.status()).isEqualTo(202);

        JsonNode status = awaitStatus(alice.token(), messageId, "read");
        try (aliceStream) {
            // the channels' steps reach the sender's open stream live, per recipient and channel
            List<String> wanted = new ArrayList<>(List.of(bob.id() + "/whatsapp/read", carol.id() + "/whatsapp/read",
                    carol.id() + "/instagram/read"));
            while (!wanted.isEmpty()) {
                JsonNode step = aliceStream.take("status", 1, PIPELINE).get(0);
                assertThat(step.path("message_id").asString()).isEqualTo(messageId.toString());
                wanted.remove(step.path("recipient").asString("") + "/" + step.path("channel").asString("") + "/"
                        + step.path("status").asString());
            }
        }
        assertThat(status.path("deliveries")).hasSize(3);
        assertThat(status.path("deliveries")).allSatisfy(d -> assertThat(d.path("status").asString()).isEqualTo("read"));
        Map<String, List<String>> trail = new HashMap<>();
        status.path("history").forEach(t -> trail.computeIfAbsent(t.path("recipient").asString("") + "/"
                + t.path("channel").asString(""), k -> new ArrayList<>()).add(t.path("status").asString()));
        // webhooks race each other (as Meta's do): a delivered that arrives after read is dropped,
        // so the trail is every step that moved the delivery forward, in lifecycle order
        assertThat(trail.get(bob.id() + "/whatsapp")).isSubsetOf(LIFECYCLE).isSortedAccordingTo(BY_RANK)
                .doesNotHaveDuplicates().startsWith("in_transit", "sent").endsWith("read");
        assertThat(trail.get(carol.id() + "/whatsapp")).isSubsetOf(LIFECYCLE).isSortedAccordingTo(BY_RANK)
                .doesNotHaveDuplicates().startsWith("in_transit", "sent").endsWith("read");
        assertThat(trail.get(carol.id() + "/instagram")).as("Instagram has no delivered")
                .containsExactly("in_transit", "sent", "read");
        assertThat(status.path("history").get(0).path("status").asString()).isEqualTo("accepted");

        assertThat(requests("whatsapp", bobNumber)).hasSize(1);
        assertThat(requests("whatsapp", carolNumber)).hasSize(1);
        assertThat(requests("instagram", carolIgsid)).hasSize(1);
        assertThat(requests("whatsapp", bobNumber).get(0).path("body").path("text").path("body").asString())
                .isEqualTo("Pedido 4512 enviado");
    }

    @Test
    void shouldIgnoreADuplicateOrLateWebhookAndRefuseAForgedOne() {
        String number = newNumber();
        User alice = user("alice", Map.of());
        User dan = user("dan", Map.of("whatsapp", "+" + number));
        String conversation = group(alice, dan);
        UUID messageId = UUID.randomUUID();
        api.post("/v1/messages", alice.token(), "{\"message_id\":\"" + messageId + "\",\"conversation_id\":\""
                + conversation + "\",\"payload\":{\"type\":\"text\",\"text\":\"hi\"},\"channels\":[\"whatsapp\"]}");
        awaitStatus(alice.token(), messageId, "read");
        String wamid = requests("whatsapp", number).get(0).path("provider_message_id").asString();
        List<String> before = whatsappTrail(alice, messageId);

        String late = statusCallback(wamid, "delivered");
        HubApi adapter = new HubApi(channels.whatsapp.url());
        assertThat(adapter.postWithHeaders("/webhooks/whatsapp", Map.of("X-Hub-Signature-256",
                channels.whatsappSignature(bytes(late))), late).status()).isEqualTo(200);
        assertThat(adapter.postWithHeaders("/webhooks/whatsapp", Map.of("X-Hub-Signature-256",
                channels.whatsappSignature(bytes(late))), late).status()).isEqualTo(200);
        String forged = statusCallback(wamid, "failed");
        assertThat(adapter.postWithHeaders("/webhooks/whatsapp", Map.of("X-Hub-Signature-256",
                "sha256=" + "0".repeat(64)), forged).status()).isEqualTo(401);

        JsonNode status = api.get("/v1/messages/" + messageId + "/status", alice.token()).body();
        assertThat(status.path("status").asString()).isEqualTo("read");
        assertThat(whatsappTrail(alice, messageId)).as("nothing moved: no step twice, nothing after read")
                .isEqualTo(before).endsWith("read");
    }

    private List<String> whatsappTrail(User user, UUID messageId) {
        List<String> trail = new ArrayList<>();
        api.get("/v1/messages/" + messageId + "/status", user.token()).body().path("history").forEach(t -> {
            if (t.path("channel").asString("").equals("whatsapp")) {
                trail.add(t.path("status").asString());
            }
        });
        return trail;
    }

    @Test
    void shouldShowAPermanentRefusalAsFailedWithTheProvidersCodeAndReason() {
        String number = newNumber();
        User alice = user("alice", Map.of());
        User fred = user("fred", Map.of("whatsapp", "+" + number));
        String conversation = group(alice, fred);
        assertThat(channels.simulatorApi().post("/_sim/faults", null, "{\"channel\":\"whatsapp\",\"recipient\":\""
                + number + "\",\"kind\":\"permanent\",\"times\":1}").status()).isEqualTo(201);
        UUID messageId = UUID.randomUUID();
        api.post("/v1/messages", alice.token(), "{\"message_id\":\"" + messageId + "\",\"conversation_id\":\""
                + conversation + "\",\"payload\":{\"type\":\"text\",\"text\":\"hi\"},\"channels\":[\"whatsapp\"]}");

        JsonNode status = awaitStatus(alice.token(), messageId, "failed");
        JsonNode delivery = status.path("deliveries").get(0);
        assertThat(delivery.path("recipient").asString()).isEqualTo(fred.id().toString());
        assertThat(delivery.path("error").path("code").asString()).isEqualTo("131026");
        assertThat(delivery.path("error").path("reason").asString()).containsIgnoringCase("undeliverable");
        assertThat(whatsappTrail(alice, messageId)).containsExactly("in_transit", "failed");
    }

    @Test
    void shouldSendAFileAsALinkEachProviderCanDownloadTheExactBytesFrom() {
        String number = newNumber();
        String igsid = newIgsid();
        User alice = user("alice", Map.of());
        User gil = user("gil", Map.of("whatsapp", "+" + number, "instagram", igsid));
        String conversation = group(alice, gil);
        byte[] content = new byte[300_000];
        ThreadLocalRandom.current().nextBytes(content);
        String fileId = new FileUploadClient(api, alice.token()).upload("invoice.pdf", "application/pdf", content);
        UUID messageId = UUID.randomUUID();

        assertThat(api.post("/v1/messages", alice.token(), "{\"message_id\":\"" + messageId + "\",\"conversation_id\":\""
                + conversation + "\",\"payload\":{\"type\":\"file\",\"file_id\":\"" + fileId + "\",\"caption\":\"your "
                + "invoice\"},\"channels\":[\"all\"]}").status()).isEqualTo(202);

        awaitStatus(alice.token(), messageId, "read");
        JsonNode whatsapp = requests("whatsapp", number).get(0).path("body");
        assertThat(whatsapp.path("type").asString()).isEqualTo("document");
        assertThat(whatsapp.path("document").path("filename").asString()).isEqualTo("invoice.pdf");
        assertThat(whatsapp.path("document").path("caption").asString()).isEqualTo("your invoice");
        assertThat(FileUploadClient.download(whatsapp.path("document").path("link").asString())).isEqualTo(content);
        JsonNode instagram = requests("instagram", igsid).get(0).path("body").path("message").path("attachment");
        assertThat(instagram.path("type").asString()).isEqualTo("file");
        assertThat(FileUploadClient.download(instagram.path("payload").path("url").asString())).isEqualTo(content);
    }

    @Test
    void shouldMakeAnInboundWhatsAppMessageFromANewNumberPartOfTheBusinessUsersHistory() {
        User business = user("acme", Map.of("whatsapp", "+" + ProviderWiring.WHATSAPP_DISPLAY_NUMBER));
        String customer = newNumber();

        HubApi.Response inbound = channels.simulatorApi().post("/_sim/whatsapp/inbound", null, "{\"from\":\"" + customer
                + "\",\"phone_number_id\":\"" + ProviderWiring.WHATSAPP_PHONE_NUMBER_ID
                + "\",\"text\":\"Where is my order?\",\"name\":\"Bruna\"}");
        assertThat(inbound.status()).isEqualTo(202);
        assertThat(inbound.body().path("webhook_status").asInt()).isEqualTo(200);

        JsonNode[] conversation = new JsonNode[1];
        await().atMost(PIPELINE).until(() -> {
            for (JsonNode c : api.get("/v1/conversations", business.token()).body().path("conversations")) {
                JsonNode messages = api.get("/v1/conversations/" + c.path("conversation_id").asString() + "/messages",
                        business.token()).body().path("messages");
                for (JsonNode m : messages) {
                    if ("Where is my order?".equals(m.path("payload").path("text").asString(""))) {
                        conversation[0] = m;
                        return true;
                    }
                }
            }
            return false;
        });
        JsonNode message = conversation[0];
        assertThat(message.path("from").asString()).isNotEqualTo(business.id().toString());
        assertThat(message.path("metadata").path("channel").asString()).isEqualTo("whatsapp");
        assertThat(message.path("metadata").path("contact_address").asString()).isEqualTo(customer);
    }

    @Test
    void shouldNotSendAnythingTwiceWhenTheAdapterIsKilledMidStreamAndRestarted(TestStack stack) {
        String number = newNumber();
        User alice = user("alice", Map.of());
        User erin = user("erin", Map.of("whatsapp", "+" + number));
        String conversation = group(alice, erin);
        HubApi.Response slow = channels.simulatorApi().post("/_sim/faults", null, "{\"channel\":\"whatsapp\","
                + "\"recipient\":\"" + number + "\",\"kind\":\"slow\",\"delay_ms\":100}");
        assertThat(slow.status()).isEqualTo(201);
        int count = 40;
        for (int i = 0; i < count; i++) {
            assertThat(api.post("/v1/messages", alice.token(), "{\"message_id\":\"" + UUID.randomUUID()
                    + "\",\"conversation_id\":\"" + conversation + "\",\"payload\":{\"type\":\"text\",\"text\":\"update "
                    + i + "\"},\"channels\":[\"whatsapp\"]}").status()).isEqualTo(202);
        }
        await().atMost(PIPELINE).until(() -> requests("whatsapp", number).size() >= 10);

        channels.whatsapp.kill();
        channels.whatsapp.start();

        await().atMost(PIPELINE).until(() -> settledDeliveries(stack, "+" + number) == count);
        Map<String, Long> perDelivery = requests("whatsapp", number).stream().collect(Collectors.groupingBy(
                r -> r.path("body").path("biz_opaque_callback_data").asString(), Collectors.counting()));
        assertThat(perDelivery.values()).as("no delivery reached the provider twice").allMatch(n -> n == 1);
        assertThat(perDelivery.size()).as("at most the one call in flight at the kill is left uncertain")
                .isBetween(count - 1, count);
        channels.simulatorApi().delete("/_sim/faults", null);
    }

    /** Deliveries to {@code address} the adapter has finished with: sent, or left uncertain by the kill. */
    private static long settledDeliveries(TestStack stack, String address) throws Exception {
        try (Connection db = stack.openDatabaseConnection();
             PreparedStatement query = db.prepareStatement("SELECT count(*) FROM channel_deliveries"
                     + " WHERE recipient_address = ? AND state IN ('sent', 'uncertain')")) {
            query.setString(1, address);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private record User(UUID id, String token) {
    }

    private User user(String name, Map<String, String> addresses) {
        String username = name + "-" + suffix + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
        String channelsJson = addresses.entrySet().stream().map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
        HubApi.Response created = api.post("/v1/users", admin, "{\"username\":\"" + username + "\",\"password\":\""
                + "password-of-" + name + "\",\"display_name\":\"" + name + "\",\"channels\":" + channelsJson + "}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return new User(UUID.fromString(created.body().path("user_id").asString()),
                api.login(username, "password-of-" + name));
    }

    private String group(User creator, User... others) {
        String members = java.util.Arrays.stream(others).map(u -> "\"" + u.id() + "\"")
                .collect(Collectors.joining(","));
        HubApi.Response created = api.post("/v1/conversations", creator.token(), "{\"type\":\"group\",\"name\":\"channels\","
                + "\"members\":[" + members + "]}");
        assertThat(created.status()).isEqualTo(201);
        return created.body().path("conversation_id").asString();
    }

    private JsonNode awaitStatus(String token, UUID messageId, String wanted) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(PIPELINE).until(() -> {
            last[0] = api.get("/v1/messages/" + messageId + "/status", token).body();
            return wanted.equals(last[0].path("status").asString(""));
        });
        return last[0];
    }

    private List<JsonNode> requests(String channel, String recipient) {
        List<JsonNode> found = new ArrayList<>();
        channels.simulatorApi().get("/_sim/requests?channel=" + channel + "&recipient=" + recipient, null).body()
                .path("requests").forEach(r -> {
                    if (r.path("status").asInt() == 200) {
                        found.add(r);
                    }
                });
        return found;
    }

    private static String statusCallback(String wamid, String status) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"waba\",\"changes\":[{\"field\":\"messages\","
                + "\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\""
                + ProviderWiring.WHATSAPP_DISPLAY_NUMBER + "\",\"phone_number_id\":\""
                + ProviderWiring.WHATSAPP_PHONE_NUMBER_ID + "\"},\"statuses\":[{\"id\":\"" + wamid + "\",\"status\":\""
                + status + "\",\"timestamp\":\"" + Instant.now().getEpochSecond() + "\",\"recipient_id\":\"1\"}]}}]}]}";
    }

    private static String newNumber() {
        return "55119" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
    }

    private static String newIgsid() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000_000_000L, 9_000_000_000_000_000L));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
