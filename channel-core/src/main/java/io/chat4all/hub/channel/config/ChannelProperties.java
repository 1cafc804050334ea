package io.chat4all.hub.channel.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How an adapter sends (each adapter maps its own environment variables onto these in its
 * {@code application.yml}).
 *
 * @param messagesPerSecond send rate per business account (token bucket)
 * @param burst             sends a quiet account may make at once
 * @param maxAttempts       provider calls per delivery, the first included, before it is dead-lettered
 * @param initialBackoff    wait after the first transient failure; doubles, with jitter
 * @param maxBackoff        longest wait between attempts
 * @param requestTimeout    a provider call that takes longer counts as a transient failure
 * @param concurrency       consumer threads (each sends one delivery at a time)
 * @param maxPollRecords    records a consumer takes per poll
 * @param fileLinkExpiry    how long a provider may take to download an attachment from its link
 * @param storagePublicEndpoint the object storage address the provider downloads from
 *                          ({@code S3_PUBLIC_ENDPOINT}; empty = {@code S3_ENDPOINT})
 * @param webhookReplayWindow inbound messages in a webhook callback sent longer ago than this are
 *                          refused ({@code HUB_WEBHOOK_REPLAY_WINDOW}, 7 days: Meta retries a callback
 *                          for up to 7 days, and the gateway's idempotency records live
 *                          {@code HUB_RETENTION_WINDOW}, 7 days, from acceptance, so a replayed old
 *                          body is either deduplicated or refused)
 */
@ConfigurationProperties("hub.channel")
public record ChannelProperties(
        double messagesPerSecond,
        int burst,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration requestTimeout,
        int concurrency,
        int maxPollRecords,
        Duration fileLinkExpiry,
        String storagePublicEndpoint,
        Duration webhookReplayWindow) {

    public ChannelProperties {
        messagesPerSecond = messagesPerSecond <= 0 ? 80 : messagesPerSecond;
        burst = burst <= 0 ? (int) Math.max(1, Math.ceil(messagesPerSecond)) : burst;
        maxAttempts = maxAttempts <= 0 ? 6 : maxAttempts;
        initialBackoff = initialBackoff == null ? Duration.ofMillis(500) : initialBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofSeconds(15) : maxBackoff;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
        concurrency = concurrency <= 0 ? 3 : concurrency;
        maxPollRecords = maxPollRecords <= 0 ? 16 : maxPollRecords;
        fileLinkExpiry = fileLinkExpiry == null ? Duration.ofHours(1) : fileLinkExpiry;
        webhookReplayWindow = webhookReplayWindow == null || webhookReplayWindow.isNegative() || webhookReplayWindow.isZero()
                ? Duration.ofDays(7) : webhookReplayWindow;
    }

    /**
     * {@code value}, or a start-up failure naming the missing variable: an adapter without its
     * provider credentials cannot do anything useful, so it does not start.
     */
    public static String required(String value, String variable, String service) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set: " + service + " cannot work without it "
                    + "(see docs/services/" + service + ".md)");
        }
        return value;
    }

    /**
     * The longest one record can take (every attempt timing out, every wait at its longest), so a
     * poll's worth of them never trips {@code max.poll.interval.ms}.
     */
    public Duration worstCasePerPoll() {
        Duration perRecord = requestTimeout.plus(maxBackoff).multipliedBy(maxAttempts);
        return perRecord.multipliedBy(maxPollRecords).plus(Duration.ofMinutes(1));
    }
}
