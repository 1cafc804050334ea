package io.chat4all.hub.simulator.webhook;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.chat4all.hub.simulator.domain.Channel;

/**
 * One POST of a webhook to its receiver.
 *
 * @param seq               position in the webhook log, growing; {@code /_sim/webhooks/{seq}/replay} re-sends it
 * @param attempt           1 for the first try, 2.. for retries
 * @param replayOf          seq of the attempt this one replays, else null
 * @param sentAt            when the POST started, RFC 3339 with milliseconds
 * @param status            the receiver's HTTP status; null when there was none
 * @param error             why there was no answer, else null
 * @param signature         the {@code X-Hub-Signature-256} value sent
 * @param body              the exact body sent (raw JSON)
 */
public record WebhookAttempt(long seq, Channel channel, String kind, String providerMessageId, String url,
                             int attempt, Long replayOf, String sentAt, Integer status, String error,
                             String signature, @JsonRawValue String body) {
}
