package io.chat4all.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.InboundChannelMessage;
import io.chat4all.hub.contracts.events.Payload;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Channel contacts (issue 17) on real Kafka and PostgreSQL: a customer who writes in becomes a
 * contact with a random id; only the business user they wrote to (or an integrator) can put them in
 * a conversation, and anyone else gets the answer an unknown id gets, so a number cannot be tested.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ContactsTest {

    @Value("${local.server.port}")
    int port;

    @Test
    void shouldGiveAContactARandomIdReachableOnlyByItsBusiness(TestStack stack) throws Exception {
        HubApi api = new HubApi(port);
        String admin = api.login("admin", "test-admin-password");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String businessNumber = "+5511" + (900_000_000L + ThreadLocalRandom.current().nextLong(99_999_999L));
        String customerNumber = "5521" + (900_000_000L + ThreadLocalRandom.current().nextLong(99_999_999L));
        assertThat(api.post("/v1/users", admin, "{\"username\":\"shop-" + suffix + "\",\"password\":\"a-good-password\","
                + "\"display_name\":\"Shop\",\"channels\":{\"whatsapp\":\"" + businessNumber + "\"}}").status()).isEqualTo(201);
        api.createUser(admin, "mallory-" + suffix, "a-good-password");
        String shop = api.login("shop-" + suffix, "a-good-password");
        String mallory = api.login("mallory-" + suffix, "a-good-password");

        try (KafkaProducer<String, InboundChannelMessage> inbound = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()),
                Topics.WHATSAPP_INBOUND.keySerde().serializer(), Topics.WHATSAPP_INBOUND.valueSerde().serializer())) {
            inbound.send(new ProducerRecord<>(Topics.WHATSAPP_INBOUND.name(), customerNumber, new InboundChannelMessage(
                    UUID.randomUUID(), Instant.now(), Channel.WHATSAPP, "wamid." + suffix, customerNumber,
                    businessNumber.substring(1), "Cliente", new Payload.Text("oi"), Instant.now()))).get();
        }
        JsonNode[] thread = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode conversations = api.get("/v1/conversations", shop).body().path("conversations");
            thread[0] = conversations.isEmpty() ? null : conversations.get(0);
            return thread[0] != null;
        });
        String shopId = api.get("/v1/users/me", shop).body().path("user_id").asString();
        String contact = thread[0].path("members").get(0).asString().equals(shopId)
                ? thread[0].path("members").get(1).asString() : thread[0].path("members").get(0).asString();
        UUID derivedFromTheNumber = UUID.nameUUIDFromBytes(("contact:whatsapp:" + customerNumber).getBytes(StandardCharsets.UTF_8));
        assertThat(contact).as("not computable from the number").isNotEqualTo(derivedFromTheNumber.toString());

        assertThat(api.post("/v1/conversations", shop, group(contact)).status()).as("its business").isEqualTo(201);
        HubApi.Response probed = api.post("/v1/conversations", mallory, group(contact));
        String unknown = UUID.randomUUID().toString();
        HubApi.Response notAUser = api.post("/v1/conversations", mallory, group(unknown));
        assertThat(probed.status()).isEqualTo(400);
        assertThat(probed.raw().replace(contact, "ID")).as("the same answer as for an id of nobody")
                .isEqualTo(notAUser.raw().replace(unknown, "ID"));

        String key = api.post("/v1/api-keys", admin, "{\"name\":\"contacts\"}").body().path("api_key").asString();
        assertThat(api.post("/v1/conversations", key, group(contact)).status()).as("an integrator").isEqualTo(201);
    }

    private static String group(String member) {
        return "{\"type\":\"group\",\"members\":[\"" + member + "\"]}";
    }
}
