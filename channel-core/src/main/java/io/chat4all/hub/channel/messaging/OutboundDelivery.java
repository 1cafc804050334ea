package io.chat4all.hub.channel.messaging;

import io.chat4all.hub.channel.domain.FileLink;
import io.chat4all.hub.channel.domain.ProviderClient;
import io.chat4all.hub.channel.domain.RetryPolicy;
import io.chat4all.hub.channel.domain.SendOutcome;
import io.chat4all.hub.channel.domain.TokenBucket;
import io.chat4all.hub.channel.persistence.DeliveryLedger;
import io.chat4all.hub.channel.persistence.FileLinks;
import io.chat4all.hub.channel.persistence.LedgerEntry;
import io.chat4all.hub.contracts.events.ChannelOutbound;
import io.chat4all.hub.contracts.events.DeliveryStatus;
import io.chat4all.hub.contracts.events.Payload;
import io.chat4all.hub.contracts.events.DeliveryStatusChanged.DeliveryError;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one outbound record: claim it in the ledger (so it goes to the provider at most once),
 * wait for a token of the sending account's rate limit, call the provider with bounded retries,
 * record the outcome, then publish it. Every step is safe to repeat when Kafka redelivers the record.
 */
public class OutboundDelivery {

    private static final Logger log = LoggerFactory.getLogger(OutboundDelivery.class);

    private final ProviderClient provider;
    private final DeliveryLedger ledger;
    private final StatusPublisher statuses;
    private final RetryPolicy retries;
    private final Function<String, TokenBucket> newBucket;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final Sleeper sleeper;
    private final FileLinks files;

    public OutboundDelivery(ProviderClient provider, DeliveryLedger ledger, StatusPublisher statuses, RetryPolicy retries,
                            Function<String, TokenBucket> newBucket, MeterRegistry meters, Sleeper sleeper,
                            FileLinks files) {
        this.files = files;
        this.provider = provider;
        this.ledger = ledger;
        this.statuses = statuses;
        this.retries = retries;
        this.newBucket = newBucket;
        this.meters = meters;
        this.sleeper = sleeper;
    }

    public void deliver(ChannelOutbound delivery) {
        String account = provider.senderAccount(delivery);
        if (!ledger.claim(delivery, account)) {
            settleRedelivery(delivery);
            return;
        }
        Supplier<SendOutcome> send = call(delivery);
        if (send == null) {
            SendOutcome.Permanent unsupported = unsupported(delivery.payload());
            ledger.markFailed(delivery.deliveryId(), unsupported.code(), unsupported.reason(), 0);
            statuses.publish(delivery, DeliveryStatus.FAILED, null,
                    new DeliveryError(unsupported.code(), unsupported.reason()));
            return;
        }
        TokenBucket bucket = buckets.computeIfAbsent(account, newBucket);
        for (int attempt = 1; ; attempt++) {
            Duration waited = bucket.acquire();
            meters.timer("hub.channel.rate.wait", "channel", provider.channel().wireName()).record(waited);
            Timer.Sample call = Timer.start(meters);
            SendOutcome outcome = send.get();
            call.stop(meters.timer("hub.channel.send", "channel", provider.channel().wireName(),
                    "outcome", outcome.getClass().getSimpleName().toLowerCase()));
            if (outcome instanceof SendOutcome.Sent sent) {
                ledger.markSent(delivery.deliveryId(), sent.providerMessageId(), attempt);
                statuses.publish(delivery, DeliveryStatus.SENT, sent.providerMessageId(), null);
                return;
            }
            if (outcome instanceof SendOutcome.Permanent refused) {
                log.info("delivery {} of message {} to {} failed for good: {} {}", delivery.deliveryId(),
                        delivery.messageId(), delivery.recipientAddress(), refused.code(), refused.reason());
                ledger.markFailed(delivery.deliveryId(), refused.code(), refused.reason(), attempt);
                statuses.publish(delivery, DeliveryStatus.FAILED, null, new DeliveryError(refused.code(), refused.reason()));
                return;
            }
            if (outcome instanceof SendOutcome.Unauthorized unauthorized) {
                ledger.release(delivery.deliveryId(), unauthorized.code(), unauthorized.reason(), attempt);
                throw new ProviderOutageException("the provider refused the adapter's credentials: "
                        + unauthorized.code() + " " + unauthorized.reason());
            }
            SendOutcome.Transient trouble = (SendOutcome.Transient) outcome;
            if (!retries.allowsAnotherAfter(attempt)) {
                giveUp(delivery, trouble, attempt);
                return;
            }
            Duration backoff = retries.backoffAfter(attempt, trouble.retryAfter());
            log.info("delivery {} attempt {} failed ({} {}); retrying in {} ms", delivery.deliveryId(), attempt,
                    trouble.code(), trouble.reason(), backoff.toMillis());
            meters.counter("hub.channel.retries", "channel", provider.channel().wireName(), "code", trouble.code())
                    .increment();
            sleeper.sleep(backoff);
        }
    }

    /**
     * Every allowed attempt failed transiently: the delivery is {@code failed} with the provider's
     * last answer, so the sender sees why (status API, stream) instead of {@code in_transit} forever.
     */
    private void giveUp(ChannelOutbound delivery, SendOutcome.Transient trouble, int attempts) {
        String reason = "gave up after " + attempts + " attempts: " + trouble.reason();
        log.warn("delivery {} of message {} failed after {} attempts: {} {}", delivery.deliveryId(),
                delivery.messageId(), attempts, trouble.code(), trouble.reason());
        meters.counter("hub.channel.exhausted", "channel", provider.channel().wireName(), "code", trouble.code())
                .increment();
        ledger.markFailed(delivery.deliveryId(), trouble.code(), reason, attempts);
        statuses.publish(delivery, DeliveryStatus.FAILED, null, new DeliveryError(trouble.code(), reason));
    }

    /** The provider call for the payload, or null when the channel cannot carry it. */
    private Supplier<SendOutcome> call(ChannelOutbound delivery) {
        if (delivery.payload() instanceof Payload.Text text && text.ref() == null) {
            return () -> provider.sendText(delivery, text.text());
        }
        if (delivery.payload() instanceof Payload.File file) {
            Optional<FileLink> link = files.find(file.fileId());
            return link.<Supplier<SendOutcome>>map(l -> () -> provider.sendFile(delivery, l, file.caption())).orElse(null);
        }
        return null;
    }

    /**
     * End-to-end encrypted payloads never leave the hub; a text large enough to be stored by
     * reference is over every channel's limit (WhatsApp 4,096 characters, Instagram 1,000 bytes) and
     * is not cut short silently; a file must be available.
     */
    private SendOutcome.Permanent unsupported(Payload payload) {
        String channel = provider.channel().wireName();
        if (payload instanceof Payload.Text large) {
            return new SendOutcome.Permanent("text_too_long", "a text of " + large.ref().size()
                    + " bytes is longer than " + channel + " carries; it stays in the hub");
        }
        if (payload instanceof Payload.File file) {
            return new SendOutcome.Permanent("file_unavailable", "file " + file.fileId() + " is not available");
        }
        return new SendOutcome.Permanent("unsupported_payload",
                "end-to-end encrypted payloads stay inside the hub; " + channel + " cannot carry them");
    }

    /**
     * The record came again (restart, rebalance). Re-publish a settled outcome (the event id makes
     * that a no-op downstream); a claim still 'sending' means a consumer died mid-call: it may or may
     * not have reached the provider, so it is never sent again (a status webhook may settle it).
     */
    private void settleRedelivery(ChannelOutbound delivery) {
        LedgerEntry entry = ledger.find(delivery.deliveryId()).orElseThrow(() -> new IllegalStateException(
                "delivery " + delivery.deliveryId() + " could not be claimed and is not in the ledger"));
        switch (entry.state()) {
            case "sent" -> statuses.publish(delivery, DeliveryStatus.SENT, entry.providerMessageId(), null);
            case "failed" -> statuses.publish(delivery, DeliveryStatus.FAILED, null,
                    new DeliveryError(entry.errorCode(), entry.errorReason()));
            case "sending" -> {
                if (ledger.markUncertain(delivery.deliveryId())) {
                    meters.counter("hub.channel.uncertain", "channel", provider.channel().wireName()).increment();
                    log.warn("delivery {} of message {} was being sent when its consumer stopped; it is not sent "
                            + "again (state uncertain until a provider webhook settles it)", delivery.deliveryId(),
                            delivery.messageId());
                }
            }
            default -> log.debug("delivery {} seen again in state {}", delivery.deliveryId(), entry.state());
        }
    }

    /** Waits between attempts; tests pass one that does not sleep. */
    @FunctionalInterface
    public interface Sleeper {

        void sleep(Duration duration);

        static Sleeper real() {
            return duration -> {
                try {
                    Thread.sleep(duration.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted between delivery attempts", e);
                }
            };
        }
    }
}
