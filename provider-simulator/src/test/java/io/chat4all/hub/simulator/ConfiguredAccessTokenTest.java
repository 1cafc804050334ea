package io.chat4all.hub.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** With {@code SIM_ACCESS_TOKEN} set only that token is accepted; with {@code SIM_STATUS_WEBHOOKS=false} no statuses. */
@TestPropertySource(properties = {
        "simulator.access-token=" + SimulatorClient.TOKEN,
        "simulator.status-webhooks=false"})
class ConfiguredAccessTokenTest extends SimulatorIntegrationTest {

    @Test
    void shouldAnswer401WithCode190WhenTokenIsNotTheConfiguredOne() {
        // when
        SimulatorClient.Response response = simulator().send(WHATSAPP_SEND,
                SimulatorClient.json(whatsappText(newPhoneNumber(), "hi")), "Bearer some-other-token",
                Duration.ofSeconds(5));

        // then
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().at("/error/code").intValue()).isEqualTo(190);
        assertThat(response.json().at("/error/type").stringValue()).isEqualTo("OAuthException");
    }

    @Test
    void shouldAcceptTheConfiguredTokenAndSendNoStatusWebhooksWhenTheyAreOff() {
        // given
        String to = newPhoneNumber();

        // when
        SimulatorClient.Response response = simulator().send(WHATSAPP_SEND, whatsappText(to, "hi"));

        // then
        assertThat(response.status()).isEqualTo(200);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(RECEIVER.containing(to)).isEmpty());
    }
}
