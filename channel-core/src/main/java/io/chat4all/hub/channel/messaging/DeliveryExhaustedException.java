package io.chat4all.hub.channel.messaging;

/** Every allowed attempt failed transiently: the record goes to {@code <topic>-dlt}, not retried by the container. */
public class DeliveryExhaustedException extends RuntimeException {

    public DeliveryExhaustedException(String message) {
        super(message);
    }
}
