package io.chat4all.hub.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Retries, replays, inbound messages and statuses on demand. */
class WebhookDeliveryTest extends SimulatorIntegrationTest {

    @Test
    void shouldRetryWebhookWhenReceiverAnswers500First() {
        // given
        String to = newPhoneNumber();
        RECEIVER.answer(500, 2, to);

        // when
        String wamid = simulator().send(WHATSAPP_SEND, whatsappText(to, "hi")).json().at("/messages/0/id").stringValue();

        // then
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode attempts = simulator().get("/_sim/webhooks?provider_message_id=" + wamid).json().path("webhooks");
            assertThat(attempts.size()).isEqualTo(5);
            assertThat(attempts.valueStream().filter(a -> a.path("status").intValue(-1) == 500)).hasSize(2);
            assertThat(attempts.valueStream().filter(a -> a.path("status").intValue(-1) == 200)
                    .map(a -> a.path("kind").stringValue())).containsExactlyInAnyOrder("status.sent", "status.delivered",
                    "status.read");
            assertThat(attempts.valueStream().filter(a -> a.path("attempt").intValue(-1) > 1)).as("retries").hasSize(2);
        });
        assertThat(RECEIVER.containing(wamid)).hasSize(5).allSatisfy(w -> assertThat(w.signedWith(WHATSAPP_SECRET)).isTrue());
    }

    @Test
    void shouldSendSignedInboundWhatsAppWebhookWhenCustomerWrites() {
        // given
        String from = newPhoneNumber();

        // when
        SimulatorClient.Response response = simulator().post("/_sim/whatsapp/inbound",
                Map.of("from", from, "phone_number_id", PHONE_NUMBER_ID, "text", "olá, tudo bem?", "name", "Ana"));

        // then
        assertThat(response.status()).isEqualTo(202);
        assertThat(response.json().path("webhook_status").intValue()).isEqualTo(200);
        String wamid = response.json().path("id").stringValue();
        assertThat(wamid).startsWith("wamid.");
        List<WebhookReceiver.Received> received = RECEIVER.containing(wamid);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).signedWith(WHATSAPP_SECRET)).isTrue();
        JsonNode value = received.get(0).json().at("/entry/0/changes/0/value");
        assertThat(value.at("/metadata/phone_number_id").stringValue()).isEqualTo(PHONE_NUMBER_ID);
        assertThat(value.at("/contacts/0/wa_id").stringValue()).isEqualTo(from);
        assertThat(value.at("/contacts/0/profile/name").stringValue()).isEqualTo("Ana");
        JsonNode message = value.at("/messages/0");
        assertThat(message.path("from").stringValue()).isEqualTo(from);
        assertThat(message.path("id").stringValue()).isEqualTo(wamid);
        assertThat(message.path("type").stringValue()).isEqualTo("text");
        assertThat(message.at("/text/body").stringValue()).isEqualTo("olá, tudo bem?");
    }

    @Test
    void shouldSendSignedInboundInstagramWebhookWhenCustomerWrites() {
        // given
        String igsid = newIgsid();

        // when
        SimulatorClient.Response response = simulator().post("/_sim/instagram/inbound",
                Map.of("sender", igsid, "text", "oi"));

        // then
        assertThat(response.status()).isEqualTo(202);
        assertThat(response.json().path("webhook_status").intValue()).isEqualTo(200);
        String mid = response.json().path("id").stringValue();
        WebhookReceiver.Received received = RECEIVER.containing(mid).get(0);
        assertThat(received.signedWith(INSTAGRAM_SECRET)).isTrue();
        JsonNode messaging = received.json().at("/entry/0/messaging/0");
        assertThat(messaging.at("/sender/id").stringValue()).isEqualTo(igsid);
        assertThat(messaging.at("/recipient/id").stringValue()).isEqualTo(INSTAGRAM_BUSINESS_ID);
        assertThat(messaging.at("/message/mid").stringValue()).isEqualTo(mid);
        assertThat(messaging.at("/message/text").stringValue()).isEqualTo("oi");
    }

    @Test
    void shouldResendIdenticalBodyAndSignatureWhenWebhookIsReplayed() {
        // given
        String wamid = simulator().post("/_sim/whatsapp/inbound",
                Map.of("from", newPhoneNumber(), "phone_number_id", PHONE_NUMBER_ID, "text", "dup")).json()
                .path("id").stringValue();
        long seq = simulator().get("/_sim/webhooks?provider_message_id=" + wamid).json().at("/webhooks/0/seq")
                .longValue();

        // when
        SimulatorClient.Response replayed = simulator().post("/_sim/webhooks/" + seq + "/replay", Map.of());

        // then
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.json().path("webhook_status").intValue()).isEqualTo(200);
        List<WebhookReceiver.Received> received = RECEIVER.containing(wamid);
        assertThat(received).hasSize(2);
        assertThat(received.get(1).body()).isEqualTo(received.get(0).body());
        assertThat(received.get(1).signature()).isEqualTo(received.get(0).signature());
        JsonNode replay = simulator().get("/_sim/webhooks?provider_message_id=" + wamid).json().at("/webhooks/1");
        assertThat(replay.path("replay_of").longValue()).isEqualTo(seq);
    }

    @Test
    void shouldAnswer404WhenReplayedWebhookIsUnknown() {
        assertThat(simulator().post("/_sim/webhooks/999999999/replay", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void shouldSendFailedStatusWithErrorsWhenStatusIsPosted() {
        // given
        String to = newPhoneNumber();
        Map<String, Object> failed = Map.of("wamid", "wamid.out-of-order-1", "status", "failed", "recipient_id", to,
                "phone_number_id", PHONE_NUMBER_ID, "biz_opaque_callback_data", "d-7", "error_code", 131047,
                "error_title", "Re-engagement message", "timestamp", 1700000000);

        // when
        SimulatorClient.Response response = simulator().post("/_sim/whatsapp/status", failed);

        // then
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("webhook_status").intValue()).isEqualTo(200);
        WebhookReceiver.Received received = RECEIVER.containing(to).get(0);
        assertThat(received.signedWith(WHATSAPP_SECRET)).isTrue();
        JsonNode status = received.json().at("/entry/0/changes/0/value/statuses/0");
        assertThat(status.path("status").stringValue()).isEqualTo("failed");
        assertThat(status.path("timestamp").stringValue()).isEqualTo("1700000000");
        assertThat(status.path("biz_opaque_callback_data").stringValue()).isEqualTo("d-7");
        assertThat(status.at("/errors/0/code").intValue()).isEqualTo(131047);
        assertThat(status.at("/errors/0/title").stringValue()).isEqualTo("Re-engagement message");
        assertThat(status.at("/errors/0/error_data/details").stringValue()).isNotBlank();
    }

    @Test
    void shouldRefuseInboundWhenSenderIsNotAPhoneNumber() {
        SimulatorClient.Response response = simulator().post("/_sim/whatsapp/inbound",
                Map.of("from", "+5511999990000", "phone_number_id", PHONE_NUMBER_ID, "text", "x"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").stringValue()).contains("from");
    }
}
