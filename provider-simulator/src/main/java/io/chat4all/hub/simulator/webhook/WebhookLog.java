package io.chat4all.hub.simulator.webhook;

import io.chat4all.hub.simulator.domain.BoundedLog;
import io.chat4all.hub.simulator.domain.Channel;
import io.chat4all.hub.simulator.domain.Tally;
import io.chat4all.hub.simulator.domain.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every webhook attempt (the last {@code capacity}), with counts per channel and receiver status. */
public final class WebhookLog {

    private final BoundedLog<WebhookAttempt> log;
    private final Tally tally = new Tally();

    public WebhookLog(int capacity) {
        this.log = new BoundedLog<>(capacity);
    }

    WebhookAttempt record(Webhook hook, int attempt, Long replayOf, Instant sentAt, Integer status, String error) {
        tally.add(hook.channel().value(), status == null ? "error" : status.toString());
        return log.append(seq -> new WebhookAttempt(seq, hook.channel(), hook.kind(), hook.providerMessageId(),
                hook.url(), attempt, replayOf, Timestamps.format(sentAt), status, error, hook.signature(),
                new String(hook.body(), StandardCharsets.UTF_8)));
    }

    /** Each filter may be null (all). */
    public List<WebhookAttempt> select(Channel channel, String providerMessageId, String kind) {
        return log.select(a -> (channel == null || a.channel() == channel)
                && (providerMessageId == null || providerMessageId.equals(a.providerMessageId()))
                && (kind == null || kind.equals(a.kind())));
    }

    /** The attempt recorded as {@code seq}, while it is still kept. */
    public Optional<WebhookAttempt> find(long seq) {
        return log.find(a -> a.seq() == seq);
    }

    public Map<String, Map<String, Long>> counts() {
        return tally.snapshot();
    }

    public int size() {
        return log.size();
    }

    public void clear() {
        log.clear();
        tally.clear();
    }
}
