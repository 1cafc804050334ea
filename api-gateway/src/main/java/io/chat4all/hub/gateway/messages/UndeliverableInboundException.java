package io.chat4all.hub.gateway.messages;

import io.chat4all.hub.autoconfigure.Fault;

/**
 * An inbound channel message the hub cannot take however often it tries (no user owns the address
 * written to, the message was refused). Not retried: the record goes to the dead-letter topic with
 * this reason, to be replayed once the cause is fixed.
 */
public class UndeliverableInboundException extends RuntimeException implements Fault.Permanent {

    UndeliverableInboundException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
