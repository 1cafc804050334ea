package io.chat4all.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.DeliveryStatus;
import io.chat4all.hub.contracts.events.DeliveryStatusChanged;
import io.chat4all.hub.contracts.events.Direction;
import io.chat4all.hub.contracts.events.ParticipantMessage;
import io.chat4all.hub.contracts.events.Payload;
import io.chat4all.hub.contracts.ids.SnowflakeIdGenerator;
import io.chat4all.hub.contracts.kafka.TopicSpec;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Who hears a delivery step (issue 17), on real Kafka with real streams: the members who had joined
 * when the message was sent, not one who joined later; the provider's error only for the recipient
 * it is about and the sender, not for the other recipients.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class StatusAudienceTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Value("${local.server.port}")
    int port;

    @Test
    void shouldStreamAStepToItsRecipientsAndItsErrorOnlyToTheRecipientItIsAboutAndTheSender(TestStack stack) throws Exception {
        HubApi api = new HubApi(port);
        String admin = api.login("admin", "test-admin-password");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        UUID alice = api.createUser(admin, "sa-alice-" + suffix, "a-good-password");
        UUID bob = api.createUser(admin, "sa-bob-" + suffix, "a-good-password");
        UUID carol = api.createUser(admin, "sa-carol-" + suffix, "a-good-password");
        UUID dave = api.createUser(admin, "sa-dave-" + suffix, "a-good-password");
        String aliceToken = api.login("sa-alice-" + suffix, "a-good-password");
        UUID conversation = UUID.fromString(api.post("/v1/conversations", aliceToken, "{\"type\":\"group\",\"members\":[\""
                + bob + "\",\"" + carol + "\"]}").body().path("conversation_id").asString());
        long msgId = new SnowflakeIdGenerator(77).nextId();
        UUID messageId = UUID.randomUUID();
        // dave joins well after the message was sent (beyond the 1 s clock tolerance of the routing)
        Instant sentAt = SnowflakeIdGenerator.parse(msgId).timestamp();
        await().atMost(WAIT).until(() -> Instant.now().isAfter(sentAt.plusMillis(1_500)));
        assertThat(api.post("/v1/conversations/" + conversation + "/members", aliceToken, "{\"user_id\":\"" + dave + "\"}")
                .status()).isEqualTo(200);

        try (Stream aliceStream = Stream.open(port, aliceToken);
             Stream bobStream = Stream.open(port, api.login("sa-bob-" + suffix, "a-good-password"));
             Stream carolStream = Stream.open(port, api.login("sa-carol-" + suffix, "a-good-password"));
             Stream daveStream = Stream.open(port, api.login("sa-dave-" + suffix, "a-good-password"));
             KafkaProducer<UUID, ParticipantMessage> copies = producer(stack, Topics.PARTICIPANT_MESSAGES);
             KafkaProducer<UUID, DeliveryStatusChanged> statuses = producer(stack, Topics.MESSAGE_STATUS)) {
            Instant now = Instant.now();
            copies.send(new ProducerRecord<>(Topics.PARTICIPANT_MESSAGES.name(), alice, new ParticipantMessage(UUID.randomUUID(),
                    now, alice, Direction.OUTGOING, msgId, messageId, conversation, 1, alice, new Payload.Text("hi", null),
                    Map.of(), now))).get();
            await().atMost(WAIT).until(() -> !aliceStream.frames("message").isEmpty());

            statuses.send(new ProducerRecord<>(Topics.MESSAGE_STATUS.name(), conversation, new DeliveryStatusChanged(
                    UUID.randomUUID(), now, msgId, messageId, conversation, bob, Channel.WHATSAPP, DeliveryStatus.FAILED, null,
                    new DeliveryStatusChanged.DeliveryError("131026", "bob's number cannot receive messages")))).get();

            await().atMost(WAIT).until(() -> !aliceStream.frames("status").isEmpty() && !bobStream.frames("status").isEmpty()
                    && !carolStream.frames("status").isEmpty());
            assertThat(aliceStream.frames("status").get(0).path("error").path("code").asString()).as("the sender")
                    .isEqualTo("131026");
            assertThat(bobStream.frames("status").get(0).path("error").path("reason").asString()).as("the recipient concerned")
                    .contains("cannot receive");
            JsonNode carolSees = carolStream.frames("status").get(0);
            assertThat(carolSees.path("status").asString()).isEqualTo("failed");
            assertThat(carolSees.has("error")).as("another recipient").isFalse();
            await().alias("a member who joined after the message gets no step").during(Duration.ofSeconds(1))
                    .atMost(WAIT).until(() -> daveStream.frames("status").isEmpty());
        }
    }

    private static <V> KafkaProducer<UUID, V> producer(TestStack stack, TopicSpec<UUID, V> topic) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()),
                topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /** An open SSE stream, its frames collected by event name. */
    @SuppressWarnings("unchecked")
    private static final class Stream implements AutoCloseable {

        private final InputStream body;
        private final List<Map.Entry<String, JsonNode>> frames = new CopyOnWriteArrayList<>();

        private Stream(InputStream body) {
            this.body = body;
            Thread reader = new Thread(this::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** Opens a stream, waiting while the gateway's live consumer is still starting (503). */
        static Stream open(int port, String token) throws Exception {
            HttpResponse<InputStream>[] response = new HttpResponse[1];
            await().atMost(WAIT).until(() -> {
                response[0] = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/v1/stream")).header("Authorization", "Bearer " + token)
                        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
                if (response[0].statusCode() == 503) {
                    response[0].body().close();
                    return false;
                }
                return true;
            });
            assertThat(response[0].statusCode()).isEqualTo(200);
            Stream stream = new Stream(response[0].body());
            await().atMost(WAIT).until(() -> !stream.frames("ready").isEmpty());
            return stream;
        }

        List<JsonNode> frames(String event) {
            return frames.stream().filter(f -> f.getKey().equals(event)).map(Map.Entry::getValue).toList();
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String event = "message";
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        frames.add(Map.entry(event, HubApi.JSON.readTree(line.substring(5).trim())));
                        event = "message";
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
