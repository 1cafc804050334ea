package io.chat4all.hub.channel.domain;

/**
 * An attachment as a provider receives it: a short-lived URL it downloads the bytes from, the file
 * name and the content type (which decides image, video, audio or document).
 */
public record FileLink(String url, String filename, String contentType) {

    /** The provider's media kind for the content type: {@code image}, {@code video}, {@code audio} or {@code file}. */
    public String kind() {
        String type = contentType.toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith("image/")) {
            return "image";
        }
        if (type.startsWith("video/")) {
            return "video";
        }
        return type.startsWith("audio/") ? "audio" : "file";
    }
}
