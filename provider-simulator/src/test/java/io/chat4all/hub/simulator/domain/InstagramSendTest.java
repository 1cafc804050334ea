package io.chat4all.hub.simulator.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Send API's validation of a body, without HTTP. */
class InstagramSendTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void shouldCountTextLengthInUtf8Bytes() {
        // given: 250 four-byte emoji = 1000 bytes; one more ASCII character = 1001
        String emoji = "\uD83D\uDE00".repeat(250);

        // when
        InstagramSend accepted = InstagramSend.parse(body(emoji));
        GraphException refused = catchThrowableOfType(GraphException.class, () -> InstagramSend.parse(body(emoji + "a")));

        // then
        assertThat(accepted.recipient()).isEqualTo("123");
        assertThat(refused.error().message())
                .isEqualTo("(#100) Length of param message[text] must be less than or equal to 1000");
        assertThat(refused.error().errorData()).isNull();
    }

    @Test
    void shouldRefuseMessageWithBothTextAndAttachment() {
        JsonNode both = JSON.readTree("{\"recipient\":{\"id\":\"123\"},\"message\":{\"text\":\"hi\",\"attachment\":"
                + "{\"type\":\"image\",\"payload\":{\"url\":\"https://x/a.png\"}}}}");

        GraphException refused = catchThrowableOfType(GraphException.class, () -> InstagramSend.parse(both));

        assertThat(refused.error().code()).isEqualTo(100);
    }

    private static JsonNode body(String text) {
        return JSON.valueToTree(Map.of("recipient", Map.of("id", "123"), "message", Map.of("text", text)));
    }
}
