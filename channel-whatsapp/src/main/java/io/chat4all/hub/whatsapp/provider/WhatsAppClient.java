package io.chat4all.hub.whatsapp.provider;

import io.chat4all.hub.channel.domain.FileLink;
import io.chat4all.hub.channel.domain.ProviderClient;
import io.chat4all.hub.channel.domain.SendOutcome;
import io.chat4all.hub.channel.provider.GraphApi;
import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.ChannelOutbound;
import io.chat4all.hub.whatsapp.config.WhatsAppProperties;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The WhatsApp Cloud API send call: {@code POST {base}/{version}/{phone-number-id}/messages}. The
 * hub's delivery id travels as {@code biz_opaque_callback_data}, which Meta echoes in every status
 * webhook, so statuses find their delivery even before the send's answer was recorded.
 */
public class WhatsAppClient implements ProviderClient {

    /** Throughput exceeded, pair rate limit, app rate limits, and "something went wrong, try again". */
    static final Set<Integer> RETRY_CODES = Set.of(130429, 131056, 80007, 4, 1, 2, 131000, 131016);

    private final WhatsAppProperties properties;
    private final GraphApi api;
    private final URI sendUri;

    public WhatsAppClient(WhatsAppProperties properties, GraphApi api) {
        this.properties = properties;
        this.api = api;
        this.sendUri = GraphApi.messagesEndpoint(properties.baseUrl(), properties.apiVersion(),
                properties.phoneNumberId());
    }

    @Override
    public Channel channel() {
        return Channel.WHATSAPP;
    }

    @Override
    public String senderAccount(ChannelOutbound delivery) {
        return properties.phoneNumberId();
    }

    @Override
    public SendOutcome sendText(ChannelOutbound delivery, String text) {
        return api.post(sendUri, properties.accessToken(), textRequest(delivery, text),
                answer -> answer.path("messages").path(0).path("id").asString(null), RETRY_CODES);
    }

    /**
     * Media by link: images (JPEG, PNG), videos and audio as such, anything else as a document with
     * its file name. Meta downloads the link when it takes the message.
     */
    @Override
    public SendOutcome sendFile(ChannelOutbound delivery, FileLink file, String caption) {
        String type = switch (file.kind()) {
            case "image" -> file.contentType().matches("image/(jpeg|png)") ? "image" : "document";
            case "video" -> "video";
            case "audio" -> "audio";
            default -> "document";
        };
        Map<String, Object> media = new LinkedHashMap<>();
        media.put("link", file.url());
        if (caption != null && !caption.isBlank() && !"audio".equals(type)) {
            media.put("caption", caption);
        }
        if ("document".equals(type)) {
            media.put("filename", file.filename());
        }
        Map<String, Object> request = envelope(delivery, type);
        request.put(type, media);
        return api.post(sendUri, properties.accessToken(), request,
                answer -> answer.path("messages").path(0).path("id").asString(null), RETRY_CODES);
    }

    static Map<String, Object> textRequest(ChannelOutbound delivery, String body) {
        Map<String, Object> request = envelope(delivery, "text");
        request.put("text", Map.of("body", body, "preview_url", false));
        return request;
    }

    /** What every send carries; the hub's delivery id rides in {@code biz_opaque_callback_data}. */
    private static Map<String, Object> envelope(ChannelOutbound delivery, String type) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("messaging_product", "whatsapp");
        request.put("recipient_type", "individual");
        request.put("to", e164Digits(delivery.recipientAddress()));
        request.put("type", type);
        request.put("biz_opaque_callback_data", delivery.deliveryId().toString());
        return request;
    }

    /** The hub stores numbers as entered ({@code +55 11 98765-4321}); Meta wants digits only. */
    static String e164Digits(String address) {
        StringBuilder digits = new StringBuilder(address.length());
        for (char c : address.toCharArray()) {
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        return digits.toString();
    }
}
