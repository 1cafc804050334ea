package io.chat4all.hub.simulator.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An Instagram messaging webhook, as Meta POSTs it:
 * {@code {"object":"instagram","entry":[{"id":..,"time":..,"messaging":[{"sender":..,"recipient":..,"timestamp":..,..}]}]}}.
 */
record InstagramNotification(String object, List<Entry> entry) {

    static InstagramNotification of(String businessId, long time, Messaging messaging) {
        return new InstagramNotification("instagram", List.of(new Entry(businessId, time, List.of(messaging))));
    }

    record Entry(String id, long time, List<Messaging> messaging) {
    }

    /** Carries either {@code message} (inbound) or {@code read}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Messaging(Party sender, Party recipient, long timestamp, Message message, Read read) {
    }

    record Party(String id) {
    }

    record Message(String mid, String text) {
    }

    record Read(String mid) {
    }
}
