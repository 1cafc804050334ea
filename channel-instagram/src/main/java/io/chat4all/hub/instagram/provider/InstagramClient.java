package io.chat4all.hub.instagram.provider;

import io.chat4all.hub.channel.domain.FileLink;
import io.chat4all.hub.channel.domain.ProviderClient;
import io.chat4all.hub.channel.domain.SendOutcome;
import io.chat4all.hub.channel.provider.GraphApi;
import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.ChannelOutbound;
import io.chat4all.hub.instagram.config.InstagramProperties;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * The Instagram Send API: {@code POST {base}/{version}/{ig-id|me}/messages}. Instagram echoes
 * nothing of the hub's, so read receipts find their delivery by the {@code mid} kept in the ledger.
 */
public class InstagramClient implements ProviderClient {

    /** Application/account rate limits, and "temporary" errors. */
    static final Set<Integer> RETRY_CODES = Set.of(4, 17, 32, 613, 1, 2);

    private final InstagramProperties properties;
    private final GraphApi api;
    private final URI sendUri;

    public InstagramClient(InstagramProperties properties, GraphApi api) {
        this.properties = properties;
        this.api = api;
        this.sendUri = GraphApi.messagesEndpoint(properties.baseUrl(), properties.apiVersion(), properties.sender());
    }

    @Override
    public Channel channel() {
        return Channel.INSTAGRAM;
    }

    @Override
    public String senderAccount(ChannelOutbound delivery) {
        return properties.sender();
    }

    /**
     * An attachment by URL ({@code image}, {@code video}, {@code audio} or {@code file}); Instagram
     * attachments carry no caption, so a caption is not sent.
     */
    @Override
    public SendOutcome sendFile(ChannelOutbound delivery, FileLink file, String caption) {
        Map<String, Object> request = Map.of("recipient", Map.of("id", delivery.recipientAddress()),
                "message", Map.of("attachment", Map.of("type", file.kind(), "payload", Map.of("url", file.url()))));
        return api.post(sendUri, properties.accessToken(), request, answer -> answer.path("message_id").asString(null),
                RETRY_CODES);
    }

    @Override
    public SendOutcome sendText(ChannelOutbound delivery, String text) {
        Map<String, Object> request = Map.of("recipient", Map.of("id", delivery.recipientAddress()),
                "message", Map.of("text", text));
        return api.post(sendUri, properties.accessToken(), request, answer -> answer.path("message_id").asString(null),
                RETRY_CODES);
    }
}
