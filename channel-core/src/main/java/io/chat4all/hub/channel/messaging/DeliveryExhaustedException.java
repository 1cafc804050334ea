package io.chat4all.hub.channel.messaging;

import io.chat4all.hub.autoconfigure.Fault;

/** Every allowed attempt failed transiently: the record goes to {@code <topic>-dlt}, not retried by the container. */
public class DeliveryExhaustedException extends RuntimeException implements Fault.Permanent {

    public DeliveryExhaustedException(String message) {
        super(message);
    }
}
