package io.chat4all.hub.simulator.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks {@code Authorization: Bearer <token>} like the Graph API: any non-empty token, or exactly the configured one. */
public final class AccessTokens {

    private static final String BEARER = "Bearer ";

    private final String expected;

    /** @param expected the token to require; empty accepts any non-empty token */
    public AccessTokens(String expected) {
        this.expected = expected == null ? "" : expected;
    }

    /** @throws GraphException 401 code 190 when the header is missing, not a bearer token, or the wrong one */
    public void check(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw GraphException.invalidToken();
        }
        String token = authorization.substring(BEARER.length()).trim();
        if (token.isEmpty() || !expected.isEmpty() && !MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            throw GraphException.invalidToken();
        }
    }
}
