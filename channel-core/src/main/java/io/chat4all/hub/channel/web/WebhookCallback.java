package io.chat4all.hub.channel.web;

import io.chat4all.hub.channel.messaging.WebhookStatuses;
import io.chat4all.hub.contracts.events.InboundChannelMessage;
import java.util.List;

/** What one provider callback carried, once parsed: delivery statuses and customers' messages. */
public record WebhookCallback(List<WebhookStatuses.Update> statuses, List<InboundChannelMessage> inbound) {

    public WebhookCallback {
        statuses = List.copyOf(statuses);
        inbound = List.copyOf(inbound);
    }
}
