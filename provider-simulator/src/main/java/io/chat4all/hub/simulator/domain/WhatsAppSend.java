package io.chat4all.hub.simulator.domain;

import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A validated {@code POST /{phone-number-id}/messages} body of the WhatsApp Cloud API.
 *
 * @param to                    recipient, E.164 digits without {@code +}
 * @param type                  {@code text}, {@code image}, {@code document}, {@code audio} or {@code video}
 * @param bizOpaqueCallbackData echoed in the status webhooks; null when not given
 */
public record WhatsAppSend(String to, String type, String bizOpaqueCallbackData) implements SendRequest {

    static final int MAX_TEXT_CHARACTERS = 4096;
    static final int MAX_CAPTION_CHARACTERS = 1024;
    static final int MAX_CALLBACK_DATA_CHARACTERS = 512;
    private static final Pattern PHONE = Pattern.compile("[0-9]{7,15}");
    private static final Pattern HTTP_URL = Pattern.compile("https?://\\S+", Pattern.CASE_INSENSITIVE);
    private static final List<String> MEDIA_TYPES = List.of("image", "document", "audio", "video");

    @Override
    public String recipient() {
        return to;
    }

    /**
     * Validates the body the way the Cloud API does.
     *
     * @throws GraphException 400 code 100 naming the first invalid parameter
     */
    public static WhatsAppSend parse(JsonNode body) {
        if (!body.isObject()) {
            throw GraphException.malformedBody(Channel.WHATSAPP);
        }
        String product = Json.string(body, "messaging_product");
        if (product == null) {
            throw invalid("(#100) The parameter messaging_product is required.",
                    "The parameter messaging_product is required.");
        }
        if (!product.equals("whatsapp")) {
            throw invalid("(#100) Param messaging_product must be one of {WHATSAPP} - got \"" + product + "\".",
                    "messaging_product must be \"whatsapp\".");
        }
        String recipientType = Json.string(body, "recipient_type");
        if (Json.present(body, "recipient_type") && !"individual".equals(recipientType)) {
            throw invalid("(#100) Param recipient_type must be one of {INDIVIDUAL} - got \"" + recipientType + "\".",
                    "recipient_type must be \"individual\".");
        }
        String to = Json.string(body, "to");
        if (to == null) {
            throw invalid("(#100) The parameter to is required.", "The parameter to is required.");
        }
        if (!PHONE.matcher(to).matches()) {
            throw invalid("(#100) Invalid parameter",
                    "Param to must be a phone number in E.164 format without '+': 7 to 15 digits.");
        }
        String type = Json.string(body, "type");
        if (type == null) {
            throw invalid("(#100) The parameter type is required.", "The parameter type is required.");
        }
        if (type.equals("text")) {
            validateText(body.path("text"));
        } else if (MEDIA_TYPES.contains(type)) {
            validateMedia(type, body.path(type));
        } else {
            throw invalid("(#100) Param type must be one of {AUDIO, DOCUMENT, IMAGE, TEXT, VIDEO} - got \"" + type + "\".",
                    "Unsupported message type " + type + ".");
        }
        String callbackData = Json.string(body, "biz_opaque_callback_data");
        if (Json.present(body, "biz_opaque_callback_data") && (callbackData == null
                || callbackData.codePointCount(0, callbackData.length()) > MAX_CALLBACK_DATA_CHARACTERS)) {
            throw invalid("(#100) Param biz_opaque_callback_data must be at most " + MAX_CALLBACK_DATA_CHARACTERS
                    + " characters long.", "biz_opaque_callback_data must be a string of at most 512 characters.");
        }
        return new WhatsAppSend(to, type, callbackData);
    }

    private static void validateText(JsonNode text) {
        String body = Json.string(text, "body");
        if (body == null || body.isBlank()) {
            throw invalid("(#100) The parameter text['body'] is required.", "The parameter text['body'] is required.");
        }
        if (body.codePointCount(0, body.length()) > MAX_TEXT_CHARACTERS) {
            throw invalid("(#100) Param text['body'] must be at most " + MAX_TEXT_CHARACTERS + " characters long.",
                    "Message text is longer than 4096 characters.");
        }
    }

    private static void validateMedia(String type, JsonNode media) {
        if (!media.isObject()) {
            throw invalid("(#100) The parameter " + type + " is required.", "The parameter " + type + " is required.");
        }
        String link = Json.string(media, "link");
        String id = Json.string(media, "id");
        if (link == null && id == null) {
            throw invalid("(#100) Param " + type + " must contain either link or id.",
                    "Media must be given by link or id.");
        }
        if (link != null && !HTTP_URL.matcher(link).matches()) {
            throw invalid("(#100) Param " + type + "['link'] is not a valid URI.", "Media link must be an http(s) URL.");
        }
        String caption = Json.string(media, "caption");
        if (caption != null && caption.codePointCount(0, caption.length()) > MAX_CAPTION_CHARACTERS) {
            throw invalid("(#100) Param " + type + "['caption'] must be at most " + MAX_CAPTION_CHARACTERS
                    + " characters long.", "Media caption is longer than 1024 characters.");
        }
    }

    private static GraphException invalid(String message, String details) {
        return GraphException.invalidParameter(Channel.WHATSAPP, message, details);
    }
}
