package io.chat4all.hub.simulator.domain;

import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Random identifiers shaped like Meta's. */
public final class Ids {

    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private Ids() {
    }

    /** A WhatsApp message id: {@code wamid.} and 48 base64url characters. */
    public static String wamid() {
        return "wamid." + random(36);
    }

    /** An Instagram message id: base64 starting with {@code aWdfZAG} ("ig_d..."), as Meta's mids do. */
    public static String instagramMid() {
        return "aWdfZAG" + random(60);
    }

    /** The {@code fbtrace_id} of an error answer: 11 characters. */
    static String fbtraceId() {
        return random(8);
    }

    private static String random(int bytes) {
        byte[] raw = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(raw);
        return URL_SAFE.encodeToString(raw);
    }
}
