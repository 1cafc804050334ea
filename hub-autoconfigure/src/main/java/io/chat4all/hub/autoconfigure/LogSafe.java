package io.chat4all.hub.autoconfigure;

/**
 * Client-supplied text made safe to put in a log line: line breaks and other control characters,
 * Unicode line separators and bidirectional overrides are written as {@code \\uXXXX} escapes (so
 * nobody can forge a log line or hide text in one), and long values are cut. For the rare values a
 * service echoes into its logs (a webhook's {@code hub.mode}, an unknown path segment).
 */
public final class LogSafe {

    /** Characters kept at most; the rest is replaced by "…". */
    public static final int MAX = 64;

    private LogSafe() {
    }

    /** The value quoted and escaped, {@code null} as the word null. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX) + 8).append('"');
        int n = Math.min(value.length(), MAX);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (unsafe(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        if (value.length() > MAX) {
            out.append('…');
        }
        return out.append('"').toString();
    }

    private static boolean unsafe(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\u200e' || c == '\u200f'
                || c == '\u061c';
    }
}
