package io.chat4all.hub.simulator.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/** The send requests received (the last {@code capacity}), with counts per channel and status. */
public final class RequestLog {

    /** What is known about a request when it is answered. */
    public record Entry(Channel channel, String path, Instant receivedAt, String recipient,
                        JsonNode body, boolean authorizationPresent) {
    }

    private final BoundedLog<RecordedRequest> log;
    private final Tally tally = new Tally();

    public RequestLog(int capacity) {
        this.log = new BoundedLog<>(capacity);
    }

    public RecordedRequest record(Entry entry, Integer status, String providerMessageId, FaultKind fault) {
        tally.add(entry.channel().value(), status == null ? "no_answer" : status.toString());
        return log.append(seq -> new RecordedRequest(seq, entry.channel(), entry.path(),
                Timestamps.format(entry.receivedAt()), entry.recipient(), entry.body(), status, providerMessageId,
                fault, entry.authorizationPresent()));
    }

    /** @param channel null for all; @param recipient null for all */
    public List<RecordedRequest> select(Channel channel, String recipient) {
        return log.select(r -> (channel == null || r.channel() == channel)
                && (recipient == null || Objects.equals(recipient, r.recipient())));
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
