package io.chat4all.hub.router.domain;

/**
 * Remembers that a client {@code message_id} was routed, so a republished copy (a gateway retry)
 * is recognised: same request hash = the same message again, nothing happens; a different hash is
 * a conflict.
 *
 * @param routedAtMs when it was routed (wall clock), for expiry after the dedupe window
 */
public record RoutedMark(long seq, String requestHash, long routedAtMs) {
}
