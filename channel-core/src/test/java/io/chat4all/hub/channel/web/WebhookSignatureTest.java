package io.chat4all.hub.channel.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private final WebhookSignature signature = new WebhookSignature("app-secret");
    private final byte[] body = "{\"object\":\"instagram\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldAcceptTheHmacOfTheExactBody() {
        // HMAC-SHA256("app-secret", body), computed independently with openssl dgst -hmac
        String header = "sha256=4868ba1823ceabaf8b38db993057d6e01e2dea967330aad8444f60a4531cd687";

        assertThat(signature.matches(body, header)).isTrue();
        assertThat(signature.matches(body, header.toUpperCase().replace("SHA256=", "sha256="))).isTrue();
        assertThat(signature.headerFor(body)).isEqualTo(header);
    }

    @Test
    void shouldRefuseAForgedMissingOrMalformedSignature() {
        String valid = signature.headerFor(body);
        byte[] tampered = "{\"object\":\"instagram\",\"entry\":[{}]}".getBytes(StandardCharsets.UTF_8);

        assertThat(signature.matches(tampered, valid)).isFalse();
        assertThat(signature.matches(body, new WebhookSignature("another-secret").headerFor(body))).isFalse();
        assertThat(signature.matches(body, null)).isFalse();
        assertThat(signature.matches(body, "sha1=" + valid.substring(7))).isFalse();
        assertThat(signature.matches(body, "sha256=not-hex")).isFalse();
        assertThat(signature.matches(body, "sha256=")).isFalse();
    }

    @Test
    void shouldEchoTheChallengeOnlyForTheVerifyToken() {
        WebhookVerification verification = new WebhookVerification("verify-me");

        assertThat(verification.challenge("subscribe", "verify-me", "1158201444")).contains("1158201444");
        assertThat(verification.challenge("subscribe", "guess", "1158201444")).isEmpty();
        assertThat(verification.challenge("unsubscribe", "verify-me", "1158201444")).isEmpty();
        assertThat(new WebhookVerification("").challenge("subscribe", "", "1")).isEmpty();
    }
}
