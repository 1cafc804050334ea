package io.chat4all.hub.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Faults injected through {@code /_sim/faults} and how each provider answers them. */
class FaultInjectionTest extends SimulatorIntegrationTest {

    @AfterEach
    void clearFaults() {
        simulator().delete("/_sim/faults");
    }

    @Test
    void shouldAnswer429WithCode130429TwiceThen200WhenRateLimitFaultFiresTwoTimes() {
        // given
        String to = newPhoneNumber();
        SimulatorClient.Response created = addFault("whatsapp", to, "rate_limit", 2, null);
        assertThat(created.status()).isEqualTo(201);
        String faultId = created.json().path("fault_id").stringValue();

        // when
        SimulatorClient.Response first = simulator().send(WHATSAPP_SEND, whatsappText(to, "1"));
        SimulatorClient.Response second = simulator().send(WHATSAPP_SEND, whatsappText(to, "2"));
        SimulatorClient.Response third = simulator().send(WHATSAPP_SEND, whatsappText(to, "3"));

        // then
        for (SimulatorClient.Response limited : new SimulatorClient.Response[] {first, second}) {
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).isEmpty();
            JsonNode error = limited.json().path("error");
            assertThat(error.path("code").intValue()).isEqualTo(130429);
            assertThat(error.path("message").stringValue()).isEqualTo("(#130429) Rate limit hit");
            assertThat(error.at("/error_data/details").stringValue()).isNotBlank();
        }
        assertThat(third.status()).isEqualTo(200);
        JsonNode listed = simulator().get("/_sim/faults").json().path("faults").get(0);
        assertThat(listed.path("fault_id").stringValue()).isEqualTo(faultId);
        assertThat(listed.path("remaining").intValue()).isZero();
        assertThat(listed.path("fired").intValue()).isEqualTo(2);
    }

    @Test
    void shouldAnswer429WithCode4WhenRateLimitFaultFiresOnInstagram() {
        // given
        String igsid = newIgsid();
        addFault("instagram", igsid, "rate_limit", 1, null);

        // when
        SimulatorClient.Response response = simulator().send(INSTAGRAM_SEND, instagramText(igsid, "hi"));

        // then
        assertThat(response.status()).isEqualTo(429);
        assertThat(response.json().at("/error/code").intValue()).isEqualTo(4);
    }

    @Test
    void shouldAnswer400WithCode131026AndSendNoWebhooksWhenPermanentFaultFires() {
        // given
        String to = newPhoneNumber();
        addFault("whatsapp", to, "permanent", null, null);

        // when
        SimulatorClient.Response response = simulator().send(WHATSAPP_SEND, whatsappText(to, "hi"));

        // then
        assertThat(response.status()).isEqualTo(400);
        JsonNode error = response.json().path("error");
        assertThat(error.path("code").intValue()).isEqualTo(131026);
        assertThat(error.path("message").stringValue()).isEqualTo("(#131026) Message Undeliverable");
        assertThat(error.at("/error_data/details").stringValue()).startsWith("Unable to deliver message.");
        JsonNode recorded = simulator().get("/_sim/requests?recipient=" + to).json().at("/requests/0");
        assertThat(recorded.path("fault").stringValue()).isEqualTo("permanent");
        assertThat(recorded.path("status").intValue()).isEqualTo(400);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(RECEIVER.containing(to)).isEmpty());
    }

    @Test
    void shouldAnswer400WithSubcode2018001WhenPermanentFaultFiresOnInstagram() {
        // given
        String igsid = newIgsid();
        addFault("instagram", igsid, "permanent", null, null);

        // when
        SimulatorClient.Response response = simulator().send(INSTAGRAM_SEND, instagramText(igsid, "hi"));

        // then
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/code").intValue()).isEqualTo(100);
        assertThat(response.json().at("/error/error_subcode").intValue()).isEqualTo(2018001);
    }

    @Test
    void shouldAnswer500WhenServerErrorFaultFires() {
        // given
        String to = newPhoneNumber();
        addFault(null, to, "server_error", 1, null);

        // when
        SimulatorClient.Response response = simulator().send(WHATSAPP_SEND, whatsappText(to, "hi"));

        // then
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.json().at("/error/code").intValue()).isEqualTo(131000);
    }

    @Test
    void shouldAnswerNormallyButLateWhenSlowFaultFires() {
        // given
        String to = newPhoneNumber();
        addFault("whatsapp", to, "slow", 1, 400L);

        // when
        long started = System.nanoTime();
        SimulatorClient.Response response = simulator().send(WHATSAPP_SEND, whatsappText(to, "hi"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // then
        assertThat(response.status()).isEqualTo(200);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        String wamid = response.json().at("/messages/0/id").stringValue();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(RECEIVER.containing(wamid)).hasSize(3));
    }

    @Test
    void shouldCloseTheConnectionWithoutAnswerWhenTimeoutFaultFires() {
        // given
        String to = newPhoneNumber();
        addFault("whatsapp", to, "timeout", 1, 300L);

        // when / then
        assertThatThrownBy(() -> simulator().send(WHATSAPP_SEND, SimulatorClient.json(whatsappText(to, "hi")),
                "Bearer t", Duration.ofSeconds(10))).isInstanceOf(UncheckedIOException.class);
        JsonNode recorded = simulator().get("/_sim/requests?recipient=" + to).json().at("/requests/0");
        assertThat(recorded.path("fault").stringValue()).isEqualTo("timeout");
        assertThat(recorded.path("status").isNull()).isTrue();
    }

    @Test
    void shouldNotFireWhenProbabilityIsZeroOrRecipientDiffers() {
        // given
        String to = newPhoneNumber();
        Map<String, Object> never = new HashMap<>(Map.of("kind", "server_error", "probability", 0.0));
        assertThat(simulator().post("/_sim/faults", never).status()).isEqualTo(201);
        addFault("whatsapp", newPhoneNumber(), "server_error", null, null);

        // when
        SimulatorClient.Response response = simulator().send(WHATSAPP_SEND, whatsappText(to, "hi"));

        // then
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void shouldStopFiringWhenFaultsAreCleared() {
        // given
        String to = newPhoneNumber();
        addFault("whatsapp", to, "server_error", null, null);
        assertThat(simulator().send(WHATSAPP_SEND, whatsappText(to, "1")).status()).isEqualTo(500);

        // when
        assertThat(simulator().delete("/_sim/faults").status()).isEqualTo(204);

        // then
        assertThat(simulator().get("/_sim/faults").json().path("faults").size()).isZero();
        assertThat(simulator().send(WHATSAPP_SEND, whatsappText(to, "2")).status()).isEqualTo(200);
    }

    @Test
    void shouldRefuseFaultWithUnknownKindOrProbabilityAboveOne() {
        assertThat(simulator().post("/_sim/faults", Map.of("kind", "flaky")).status()).isEqualTo(400);
        SimulatorClient.Response response = simulator().post("/_sim/faults", Map.of("kind", "slow", "probability", 2));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").stringValue()).contains("probability");
    }

    private SimulatorClient.Response addFault(String channel, String recipient, String kind, Integer times, Long delayMs) {
        Map<String, Object> fault = new HashMap<>();
        fault.put("channel", channel);
        fault.put("recipient", recipient);
        fault.put("kind", kind);
        fault.put("times", times);
        fault.put("delay_ms", delayMs);
        SimulatorClient.Response response = simulator().post("/_sim/faults", fault);
        assertThat(response.status()).isEqualTo(201);
        return response;
    }
}
