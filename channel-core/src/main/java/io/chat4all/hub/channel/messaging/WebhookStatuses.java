package io.chat4all.hub.channel.messaging;

import io.chat4all.hub.channel.persistence.DeliveryLedger;
import io.chat4all.hub.channel.persistence.LedgerEntry;
import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.DeliveryStatus;
import io.chat4all.hub.contracts.events.DeliveryStatusChanged.DeliveryError;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a provider's status callback to its hub delivery. Monotonic and idempotent: a callback
 * that does not move the delivery forward (a duplicate, a {@code delivered} after {@code read})
 * changes nothing; one that does is published first and recorded after, so a crash in between
 * only means the provider's retry publishes it again under the same event id.
 */
public class WebhookStatuses {

    private static final Logger log = LoggerFactory.getLogger(WebhookStatuses.class);

    private final Channel channel;
    private final DeliveryLedger ledger;
    private final StatusPublisher statuses;
    private final MeterRegistry meters;

    public WebhookStatuses(Channel channel, DeliveryLedger ledger, StatusPublisher statuses, MeterRegistry meters) {
        this.channel = channel;
        this.ledger = ledger;
        this.statuses = statuses;
        this.meters = meters;
    }

    /** What a callback says about one delivery. {@code deliveryId} is known when the provider echoes it. */
    public record Update(UUID deliveryId, String providerMessageId, DeliveryStatus status, DeliveryError error) {
    }

    /** Applies it; returns what happened, for logs, metrics and tests. */
    public Result apply(Update update) {
        Optional<LedgerEntry> found = update.deliveryId() != null ? ledger.find(update.deliveryId())
                : Optional.empty();
        if (found.isEmpty() && update.providerMessageId() != null) {
            found = ledger.findByProviderId(channel, update.providerMessageId());
        }
        Result result;
        if (found.isEmpty()) {
            log.debug("{} status {} for unknown message {}", channel.wireName(), update.status().wireName(),
                    update.providerMessageId());
            result = Result.UNKNOWN;
        } else if (!found.get().status().canAdvanceTo(update.status())) {
            result = Result.IGNORED;
        } else {
            LedgerEntry delivery = found.get();
            String providerId = update.providerMessageId() != null ? update.providerMessageId()
                    : delivery.providerMessageId();
            statuses.publish(delivery, update.status(), providerId, update.error());
            ledger.advance(delivery.deliveryId(), update.status(), providerId,
                    update.error() == null ? null : update.error().code(),
                    update.error() == null ? null : update.error().reason());
            result = Result.ADVANCED;
        }
        meters.counter("hub.channel.webhook.statuses", "channel", channel.wireName(), "status",
                update.status().wireName(), "result", result.name().toLowerCase()).increment();
        return result;
    }

    public enum Result { ADVANCED, IGNORED, UNKNOWN }
}
