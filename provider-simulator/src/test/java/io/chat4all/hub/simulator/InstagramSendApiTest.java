package io.chat4all.hub.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The Instagram Send API and the read webhook that follows an accepted send. */
class InstagramSendApiTest extends SimulatorIntegrationTest {

    @Test
    void shouldAcceptTextOf1000BytesAndRefuse1001BytesCountedInUtf8() {
        // given
        String igsid = newIgsid();
        String longest = "é".repeat(500);
        String tooLong = "é".repeat(334) + "a".repeat(333);
        assertThat(longest.getBytes(StandardCharsets.UTF_8)).hasSize(1000);
        assertThat(tooLong.getBytes(StandardCharsets.UTF_8)).hasSize(1001);

        // when
        SimulatorClient.Response accepted = simulator().send(INSTAGRAM_SEND, instagramText(igsid, longest));
        SimulatorClient.Response refused = simulator().send(INSTAGRAM_SEND, instagramText(igsid, tooLong));

        // then
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(refused.status()).isEqualTo(400);
        JsonNode error = refused.json().path("error");
        assertThat(error.path("code").intValue()).isEqualTo(100);
        assertThat(error.path("type").stringValue()).isEqualTo("OAuthException");
        assertThat(error.path("message").stringValue())
                .isEqualTo("(#100) Length of param message[text] must be less than or equal to 1000");
        assertThat(error.has("error_data")).isFalse();
    }

    @Test
    void shouldAnswerWithMidAndSendSignedReadWebhookWhenSendGoesToMe() {
        // given
        String igsid = newIgsid();

        // when
        SimulatorClient.Response response = simulator().send(INSTAGRAM_SEND, instagramText(igsid, "hi"));

        // then
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("recipient_id").stringValue()).isEqualTo(igsid);
        String mid = response.json().path("message_id").stringValue();
        assertThat(mid).startsWith("aWdfZAG");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(RECEIVER.containing(mid)).hasSize(1));
        WebhookReceiver.Received webhook = RECEIVER.containing(mid).get(0);
        assertThat(webhook.path()).isEqualTo("/webhooks/instagram");
        assertThat(webhook.signedWith(INSTAGRAM_SECRET)).isTrue();
        JsonNode json = webhook.json();
        assertThat(json.path("object").stringValue()).isEqualTo("instagram");
        JsonNode entry = json.path("entry").get(0);
        assertThat(entry.path("id").stringValue()).isEqualTo(INSTAGRAM_BUSINESS_ID);
        assertThat(entry.path("time").isIntegralNumber()).isTrue();
        JsonNode messaging = entry.path("messaging").get(0);
        assertThat(messaging.at("/sender/id").stringValue()).isEqualTo(igsid);
        assertThat(messaging.at("/recipient/id").stringValue()).isEqualTo(INSTAGRAM_BUSINESS_ID);
        assertThat(messaging.path("timestamp").longValue()).isGreaterThan(1_600_000_000_000L);
        assertThat(messaging.at("/read/mid").stringValue()).isEqualTo(mid);
    }

    @Test
    void shouldUseTheIdInThePathAsBusinessIdWhenSendGoesToAnIgId() {
        // given
        String igsid = newIgsid();
        Map<String, Object> image = Map.of("recipient", Map.of("id", igsid), "message", Map.of("attachment",
                Map.of("type", "image", "payload", Map.of("url", "https://files.example.com/a.png"))));

        // when
        SimulatorClient.Response response = simulator().send("/instagram/v21.0/17841400000000777/messages", image);

        // then
        assertThat(response.status()).isEqualTo(200);
        String mid = response.json().path("message_id").stringValue();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(RECEIVER.containing(mid)).hasSize(1));
        assertThat(RECEIVER.containing(mid).get(0).json().at("/entry/0/id").stringValue())
                .isEqualTo("17841400000000777");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"message\":{\"text\":\"hi\"}}",
            "{\"recipient\":{},\"message\":{\"text\":\"hi\"}}",
            "{\"recipient\":{\"id\":\"123\"},\"message\":{}}",
            "{\"recipient\":{\"id\":\"123\"}}",
            "{\"recipient\":{\"id\":\"123\"},\"message\":{\"attachment\":{\"type\":\"sticker\",\"payload\":{}}}}",
            "{\"recipient\":{\"id\":\"123\"},\"message\":{\"attachment\":{\"type\":\"image\",\"payload\":{}}}}",
            "{\"recipient\":{\"id\":\"123\"},\"message\":{\"text\":\"\"}}",
            "not json"})
    void shouldRefuseWithCode100WhenBodyIsInvalid(String body) {
        // when
        SimulatorClient.Response response = simulator().send(INSTAGRAM_SEND, body, "Bearer t", Duration.ofSeconds(5));

        // then
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/code").intValue()).isEqualTo(100);
        assertThat(response.json().at("/error/fbtrace_id").stringValue()).isNotBlank();
    }
}
