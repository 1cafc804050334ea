package io.chat4all.hub.channel.web;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Meta's subscription handshake: {@code GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…}
 * is answered with the challenge when the token is the configured one.
 */
public final class WebhookVerification {

    private final byte[] verifyToken;

    public WebhookVerification(String verifyToken) {
        this.verifyToken = verifyToken == null ? new byte[0] : verifyToken.getBytes(StandardCharsets.UTF_8);
    }

    /** The challenge to echo, or empty when the request must be refused (403). */
    public Optional<String> challenge(String mode, String token, String challenge) {
        if (verifyToken.length == 0 || !"subscribe".equals(mode) || token == null || challenge == null) {
            return Optional.empty();
        }
        boolean tokenMatches = MessageDigest.isEqual(verifyToken, token.getBytes(StandardCharsets.UTF_8));
        return tokenMatches ? Optional.of(challenge) : Optional.empty();
    }
}
