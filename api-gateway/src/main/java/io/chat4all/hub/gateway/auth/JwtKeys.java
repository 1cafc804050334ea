package io.chat4all.hub.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HS256 keys tokens are signed and verified with, by key id ({@code kid}). The last configured
 * key signs; every configured key verifies, so keys rotate without logging anybody out.
 */
public final class JwtKeys {

    private static final Logger log = LoggerFactory.getLogger(JwtKeys.class);
    private static final int MIN_SECRET_BYTES = 32;

    private final Map<String, SecretKey> keys;
    private final String signingKeyId;

    private JwtKeys(Map<String, SecretKey> keys, String signingKeyId) {
        this.keys = Map.copyOf(keys);
        this.signingKeyId = signingKeyId;
    }

    /** Parses {@code kid:secret,kid:secret}; at least one key is required. */
    public static JwtKeys parse(String spec) {
        return parse(spec, false);
    }

    /**
     * Parses {@code kid:secret,kid:secret}. With none configured: a random key for this process
     * only if {@code allowEphemeral}, else the gateway refuses to start (tokens that die with the
     * process and fail on every other instance are a development convenience, not a deployment).
     */
    public static JwtKeys parse(String spec, boolean allowEphemeral) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String last = null;
        if (spec != null && !spec.isBlank()) {
            for (String entry : spec.split(",")) {
                int colon = entry.indexOf(':');
                if (colon <= 0 || colon == entry.length() - 1) {
                    throw new IllegalStateException("HUB_JWT_KEYS entries must be kid:secret, found '"
                            + entry.substring(0, Math.min(entry.length(), colon < 0 ? entry.length() : colon)) + ":…'");
                }
                String kid = entry.substring(0, colon).trim();
                byte[] secret = entry.substring(colon + 1).trim().getBytes(StandardCharsets.UTF_8);
                if (secret.length < MIN_SECRET_BYTES) {
                    throw new IllegalStateException("the secret of JWT key '" + kid + "' has " + secret.length
                            + " bytes; HS256 needs at least " + MIN_SECRET_BYTES);
                }
                keys.put(kid, new SecretKeySpec(secret, "HmacSHA256"));
                last = kid;
            }
        }
        if (keys.isEmpty() && !allowEphemeral) {
            throw new IllegalStateException("HUB_JWT_KEYS is not set: configure at least one signing key (kid:secret, 32 bytes"
                    + " or more), or set HUB_JWT_ALLOW_EPHEMERAL_KEYS=true for a throwaway instance");
        }
        if (keys.isEmpty()) {
            log.warn("HUB_JWT_KEYS is not set: tokens are signed with a random key of this process; they stop working"
                    + " after a restart and on other gateway instances");
            byte[] random = new byte[MIN_SECRET_BYTES];
            new java.security.SecureRandom().nextBytes(random);
            last = "ephemeral";
            keys.put(last, new SecretKeySpec(random, "HmacSHA256"));
        }
        return new JwtKeys(keys, last);
    }

    public String signingKeyId() {
        return signingKeyId;
    }

    public SecretKey signingKey() {
        return keys.get(signingKeyId);
    }

    public Map<String, SecretKey> all() {
        return keys;
    }
}
