package io.chat4all.hub.simulator.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Cloud API's validation of a send body, without HTTP. */
class WhatsAppSendTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void shouldKeepRecipientTypeAndCallbackDataWhenBodyIsValid() {
        // when
        WhatsAppSend send = WhatsAppSend.parse(json("{\"messaging_product\":\"whatsapp\",\"to\":\"5511999990000\","
                + "\"type\":\"text\",\"text\":{\"body\":\"hi\"},\"biz_opaque_callback_data\":\"d-1\"}"));

        // then
        assertThat(send).isEqualTo(new WhatsAppSend("5511999990000", "text", "d-1"));
        assertThat(send.recipient()).isEqualTo("5511999990000");
    }

    @Test
    void shouldRefuseCallbackDataLongerThan512Characters() {
        assertThat(refusal("{\"messaging_product\":\"whatsapp\",\"to\":\"5511999990000\",\"type\":\"text\","
                + "\"text\":{\"body\":\"hi\"},\"biz_opaque_callback_data\":\"" + "x".repeat(513) + "\"}").error().message())
                .contains("biz_opaque_callback_data");
    }

    @Test
    void shouldNameTheMissingParameterLikeMeta() {
        assertThat(refusal("{\"to\":\"5511999990000\"}").error().message())
                .isEqualTo("(#100) The parameter messaging_product is required.");
        assertThat(refusal("{\"messaging_product\":\"whatsapp\"}").error().message())
                .isEqualTo("(#100) The parameter to is required.");
        assertThat(refusal("{\"messaging_product\":\"whatsapp\",\"to\":\"5511999990000\",\"type\":\"text\"}")
                .error().message()).isEqualTo("(#100) The parameter text['body'] is required.");
    }

    @Test
    void shouldRefuseMediaLinkThatIsNotHttp() {
        assertThat(refusal("{\"messaging_product\":\"whatsapp\",\"to\":\"5511999990000\",\"type\":\"document\","
                + "\"document\":{\"link\":\"ftp://x/a.pdf\"}}").error().code()).isEqualTo(100);
    }

    @Test
    void shouldRefuseRecipientTypeOtherThanIndividual() {
        assertThat(refusal("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"group\",\"to\":\"5511999990000\","
                + "\"type\":\"text\",\"text\":{\"body\":\"hi\"}}").status()).isEqualTo(HttpStatus.BAD_REQUEST);
    }

    private static GraphException refusal(String body) {
        Throwable thrown = catchThrowable(() -> WhatsAppSend.parse(json(body)));
        assertThat(thrown).isInstanceOf(GraphException.class);
        GraphException e = (GraphException) thrown;
        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(e.error().errorData().messagingProduct()).isEqualTo("whatsapp");
        return e;
    }

    private static JsonNode json(String body) {
        return JSON.readTree(body);
    }

    @Test
    void shouldRefuseBodyThatIsNotAnObject() {
        assertThatThrownBy(() -> WhatsAppSend.parse(json("[1]"))).isInstanceOf(GraphException.class);
    }
}
