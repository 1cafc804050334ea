package io.chat4all.hub.gateway.realtime;

import java.util.Map;
import java.util.UUID;

/** What a stream carries: a message ({@link StreamEvent}) or a delivery's status step ({@link StatusEvent}). */
public sealed interface LiveEvent permits StreamEvent, StatusEvent {

    UUID conversationId();

    /** The frame's JSON body. */
    Map<String, Object> body();
}
