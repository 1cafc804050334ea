package io.chat4all.hub.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The WhatsApp Cloud API's send endpoint and the status webhooks that follow an accepted send. */
class WhatsAppCloudApiTest extends SimulatorIntegrationTest {

    @Test
    void shouldAnswerWithWamidAndSendSignedSentDeliveredReadWebhooksWhenSendIsValid() {
        // given
        String to = newPhoneNumber();
        Map<String, Object> body = whatsappText(to, "hi");
        body.put("biz_opaque_callback_data", "delivery-42");

        // when
        SimulatorClient.Response response = simulator().send(WHATSAPP_SEND, body);

        // then
        assertThat(response.status()).isEqualTo(200);
        JsonNode json = response.json();
        assertThat(json.path("messaging_product").stringValue()).isEqualTo("whatsapp");
        assertThat(json.path("contacts").get(0).path("input").stringValue()).isEqualTo(to);
        assertThat(json.path("contacts").get(0).path("wa_id").stringValue()).isEqualTo(to);
        String wamid = json.path("messages").get(0).path("id").stringValue();
        assertThat(wamid).startsWith("wamid.").hasSizeGreaterThan(40);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(RECEIVER.containing(wamid)).hasSize(3));
        List<WebhookReceiver.Received> webhooks = RECEIVER.containing(wamid);
        assertThat(webhooks).allSatisfy(webhook -> {
            assertThat(webhook.path()).isEqualTo("/webhooks/whatsapp");
            assertThat(webhook.contentType()).isEqualTo("application/json");
            assertThat(webhook.signedWith(WHATSAPP_SECRET)).as("signature %s", webhook.signature()).isTrue();
            assertThat(webhook.signedWith("another-secret")).isFalse();
            JsonNode notification = webhook.json();
            assertThat(notification.path("object").stringValue()).isEqualTo("whatsapp_business_account");
            JsonNode change = notification.path("entry").get(0).path("changes").get(0);
            assertThat(change.path("field").stringValue()).isEqualTo("messages");
            JsonNode value = change.path("value");
            assertThat(value.path("messaging_product").stringValue()).isEqualTo("whatsapp");
            assertThat(value.at("/metadata/phone_number_id").stringValue()).isEqualTo(PHONE_NUMBER_ID);
            assertThat(value.at("/metadata/display_phone_number").stringValue()).isEqualTo("15550001000");
            JsonNode status = value.path("statuses").get(0);
            assertThat(status.path("id").stringValue()).isEqualTo(wamid);
            assertThat(status.path("recipient_id").stringValue()).isEqualTo(to);
            assertThat(status.path("biz_opaque_callback_data").stringValue()).isEqualTo("delivery-42");
            assertThat(status.path("timestamp").stringValue()).matches("[0-9]{10}");
        });
        assertThat(webhooks).extracting(webhook -> webhook.json().at("/entry/0/changes/0/value/statuses/0/status")
                .stringValue()).containsExactlyInAnyOrder("sent", "delivered", "read");
    }

    @Test
    void shouldRefuseWithCode100WhenMessagingProductIsMissing() {
        // given
        Map<String, Object> body = whatsappText(newPhoneNumber(), "hi");
        body.remove("messaging_product");

        // when
        SimulatorClient.Response response = simulator().send(WHATSAPP_SEND, body);

        // then
        assertThat(response.status()).isEqualTo(400);
        JsonNode error = response.json().path("error");
        assertThat(error.path("message").stringValue()).isEqualTo("(#100) The parameter messaging_product is required.");
        assertThat(error.path("type").stringValue()).isEqualTo("OAuthException");
        assertThat(error.path("code").intValue()).isEqualTo(100);
        assertThat(error.at("/error_data/messaging_product").stringValue()).isEqualTo("whatsapp");
        assertThat(error.at("/error_data/details").stringValue()).isNotBlank();
        assertThat(error.path("fbtrace_id").stringValue()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+5511999990000", "55119999abcd", "123456", "1234567890123456", "55 11 99999 0000"})
    void shouldRefuseWithCode100WhenRecipientIsNotSevenToFifteenDigits(String to) {
        // when
        SimulatorClient.Response response = simulator().send(WHATSAPP_SEND, whatsappText(to, "hi"));

        // then
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/code").intValue()).isEqualTo(100);
        assertThat(response.json().at("/error/message").stringValue()).isEqualTo("(#100) Invalid parameter");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"messaging_product\":\"whatsapp\",\"to\":\"5511999990000\",\"text\":{\"body\":\"hi\"}}",
            "{\"messaging_product\":\"whatsapp\",\"to\":\"5511999990000\",\"type\":\"sticker\",\"sticker\":{\"id\":\"1\"}}",
            "{\"messaging_product\":\"whatsapp\",\"to\":\"5511999990000\",\"type\":\"text\",\"text\":{}}",
            "{\"messaging_product\":\"whatsapp\",\"to\":\"5511999990000\",\"type\":\"text\"}",
            "{\"messaging_product\":\"whatsapp\",\"to\":\"5511999990000\",\"type\":\"image\",\"image\":{\"caption\":\"x\"}}",
            "{\"messaging_product\":\"sms\",\"to\":\"5511999990000\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}",
            "{\"messaging_product\":\"whatsapp\",\"to\":\"5511999990000\",\"type\":\"text\",",
            "[]",
            ""})
    void shouldRefuseWithCode100WhenBodyIsInvalid(String body) {
        // when
        SimulatorClient.Response response = simulator().send(WHATSAPP_SEND, body, "Bearer t", Duration.ofSeconds(5));

        // then
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/code").intValue()).isEqualTo(100);
        assertThat(response.json().at("/error/type").stringValue()).isEqualTo("OAuthException");
    }

    @Test
    void shouldRefuseTextLongerThan4096CharactersAndAcceptTextOfExactly4096() {
        // given
        String to = newPhoneNumber();

        // when
        SimulatorClient.Response tooLong = simulator().send(WHATSAPP_SEND, whatsappText(to, "é".repeat(4097)));
        SimulatorClient.Response longest = simulator().send(WHATSAPP_SEND, whatsappText(to, "é".repeat(4096)));

        // then
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().at("/error/code").intValue()).isEqualTo(100);
        assertThat(longest.status()).isEqualTo(200);
    }

    @Test
    void shouldAcceptDocumentAndImageSentByLink() {
        // given
        String to = newPhoneNumber();
        Map<String, Object> document = Map.of("messaging_product", "whatsapp", "to", to, "type", "document",
                "document", Map.of("link", "https://files.example.com/a.pdf", "filename", "a.pdf"));
        Map<String, Object> image = Map.of("messaging_product", "whatsapp", "to", to, "type", "image",
                "image", Map.of("link", "https://files.example.com/a.png", "caption", "look"));

        // when / then
        assertThat(simulator().send(WHATSAPP_SEND, document).status()).isEqualTo(200);
        assertThat(simulator().send(WHATSAPP_SEND, image).status()).isEqualTo(200);
    }

    @Test
    void shouldAnswer401WithCode190WhenAccessTokenIsMissing() {
        // when
        SimulatorClient.Response response = simulator().send(WHATSAPP_SEND,
                SimulatorClient.json(whatsappText(newPhoneNumber(), "hi")), null, Duration.ofSeconds(5));

        // then
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().at("/error/code").intValue()).isEqualTo(190);
        assertThat(response.json().at("/error/message").stringValue())
                .isEqualTo("Invalid OAuth access token - Cannot parse access token");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                .contains("invalid_token"));
    }
}
