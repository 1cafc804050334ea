package io.chat4all.hub.channel.messaging;

import io.chat4all.hub.autoconfigure.Fault;

/**
 * No delivery can go out now for a reason that is not the delivery's (the provider refused the
 * adapter's credentials): the consumer retries the record with backoff until it can, and
 * {@code consumerProgress} health shows the stall.
 */
public class ProviderOutageException extends RuntimeException implements Fault.Outage {

    public ProviderOutageException(String message) {
        super(message);
    }
}
