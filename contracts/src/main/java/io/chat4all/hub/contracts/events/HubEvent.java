package io.chat4all.hub.contracts.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Every event of the pipeline carries a unique id (consumers dedupe on it) and the time the fact
 * it records happened.
 */
public interface HubEvent {

    UUID eventId();

    Instant occurredAt();
}
