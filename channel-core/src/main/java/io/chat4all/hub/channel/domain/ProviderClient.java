package io.chat4all.hub.channel.domain;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.ChannelOutbound;

/** The one thing a channel adapter does its own way: speak its provider's send API. */
public interface ProviderClient {

    Channel channel();

    /** The business account the delivery goes out from; the rate limit applies per account. */
    String senderAccount(ChannelOutbound delivery);

    /**
     * One call to the provider sending {@code text}, never throwing for provider or network trouble:
     * that is an outcome. (Payloads a channel cannot carry never get here.)
     */
    SendOutcome sendText(ChannelOutbound delivery, String text);

    /** One call sending an attachment the provider downloads from {@code file.url()}, with an optional caption. */
    SendOutcome sendFile(ChannelOutbound delivery, FileLink file, String caption);
}
