package io.chat4all.hub.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What the simulator received, as {@code /_sim/requests} and {@code /_sim/stats} report it. */
class RecordingTest extends SimulatorIntegrationTest {

    @Test
    void shouldRecordRequestsAndFilterThemByChannelAndRecipient() {
        // given
        String alice = newPhoneNumber();
        String bob = newPhoneNumber();
        String carol = newIgsid();
        String wamid = simulator().send(WHATSAPP_SEND, whatsappText(alice, "one")).json().at("/messages/0/id")
                .stringValue();
        simulator().send(WHATSAPP_SEND, whatsappText(alice, "two"));
        simulator().send(WHATSAPP_SEND, Map.of("to", bob, "type", "text"));
        simulator().send(INSTAGRAM_SEND, instagramText(carol, "three"));

        // when
        JsonNode toAlice = simulator().get("/_sim/requests?channel=whatsapp&recipient=" + alice).json().path("requests");
        JsonNode toBob = simulator().get("/_sim/requests?recipient=" + bob).json().path("requests");
        JsonNode toCarol = simulator().get("/_sim/requests?channel=instagram&recipient=" + carol).json().path("requests");
        JsonNode carolOnWhatsApp = simulator().get("/_sim/requests?channel=whatsapp&recipient=" + carol).json()
                .path("requests");

        // then
        assertThat(toAlice.size()).isEqualTo(2);
        JsonNode first = toAlice.get(0);
        assertThat(first.path("channel").stringValue()).isEqualTo("whatsapp");
        assertThat(first.path("path").stringValue()).isEqualTo(WHATSAPP_SEND);
        assertThat(first.path("received_at").stringValue()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(first.path("recipient").stringValue()).isEqualTo(alice);
        assertThat(first.at("/body/text/body").stringValue()).isEqualTo("one");
        assertThat(first.path("status").intValue()).isEqualTo(200);
        assertThat(first.path("provider_message_id").stringValue()).isEqualTo(wamid);
        assertThat(first.path("fault").isNull()).isTrue();
        assertThat(first.path("authorization_present").booleanValue()).isTrue();
        assertThat(toAlice.get(1).path("seq").longValue()).isGreaterThan(first.path("seq").longValue());
        assertThat(toBob.size()).isEqualTo(1);
        assertThat(toBob.get(0).path("status").intValue()).isEqualTo(400);
        assertThat(toBob.get(0).path("provider_message_id").isNull()).isTrue();
        assertThat(toCarol.size()).isEqualTo(1);
        assertThat(toCarol.get(0).path("provider_message_id").stringValue()).startsWith("aWdfZAG");
        assertThat(carolOnWhatsApp.size()).isZero();
    }

    @Test
    void shouldRecordMalformedBodyAsAJsonString() {
        // when
        simulator().send(INSTAGRAM_SEND, "{not json", null, Duration.ofSeconds(5));

        // then
        JsonNode requests = simulator().get("/_sim/requests?channel=instagram").json().path("requests");
        JsonNode last = requests.get(requests.size() - 1);
        assertThat(last.path("body").stringValue()).isEqualTo("{not json");
        assertThat(last.path("status").intValue()).isEqualTo(401);
        assertThat(last.path("authorization_present").booleanValue()).isFalse();
    }

    @Test
    void shouldCountRequestsPerChannelAndStatusWhenCleared() {
        // given
        assertThat(simulator().delete("/_sim/requests").status()).isEqualTo(204);
        simulator().send(WHATSAPP_SEND, whatsappText(newPhoneNumber(), "ok"));
        simulator().send(WHATSAPP_SEND, whatsappText("+1", "refused"));
        simulator().send(INSTAGRAM_SEND, instagramText(newIgsid(), "ok"));

        // when
        JsonNode stats = simulator().get("/_sim/stats").json();

        // then
        assertThat(stats.at("/requests/whatsapp/200").longValue()).isEqualTo(1);
        assertThat(stats.at("/requests/whatsapp/400").longValue()).isEqualTo(1);
        assertThat(stats.at("/requests/instagram/200").longValue()).isEqualTo(1);
        assertThat(stats.path("recorded_requests").intValue()).isEqualTo(3);
        assertThat(stats.has("webhooks")).isTrue();
        assertThat(stats.has("faults_fired")).isTrue();
    }
}
