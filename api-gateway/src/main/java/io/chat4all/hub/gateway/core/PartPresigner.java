package io.chat4all.hub.gateway.core;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Presigns the {@code PUT} of one part of a multipart upload with AWS Signature V4 in the query
 * string, signing the {@code Content-Length} header next to {@code host}: the storage refuses the
 * request (403) unless the body has exactly the part's length, so a URL handed out for a 5 MiB part
 * cannot carry 5 GiB. (minio-java's presigner signs {@code host} only, hence this class.) Path-style
 * URLs, as the hub's endpoints (MinIO, s3proxy) are addressed.
 */
final class PartPresigner {

    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String SIGNED_HEADERS = "content-length;host";

    private final URI endpoint;
    private final String host;
    private final String bucket;
    private final String region;
    private final String accessKey;
    private final String secretKey;
    private final Clock clock;

    PartPresigner(String endpoint, String bucket, String region, String accessKey, String secretKey, Clock clock) {
        this.endpoint = URI.create(endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint);
        int port = this.endpoint.getPort();
        boolean defaultPort = port == -1 || "http".equals(this.endpoint.getScheme()) && port == 80
                || "https".equals(this.endpoint.getScheme()) && port == 443;
        this.host = this.endpoint.getHost() + (defaultPort ? "" : ":" + port);
        this.bucket = bucket;
        this.region = region;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.clock = clock;
    }

    /** A URL valid for {@code expiry} that uploads exactly {@code length} bytes as part {@code partNumber}. */
    String presignPart(String key, String uploadId, int partNumber, long length, Duration expiry) {
        String amzDate = AMZ_DATE.format(clock.instant());
        String date = amzDate.substring(0, 8);
        String scope = date + "/" + region + "/s3/aws4_request";
        String path = (endpoint.getRawPath() == null ? "" : endpoint.getRawPath()) + "/" + encode(bucket, false) + "/"
                + encode(key, true);
        Map<String, String> query = new TreeMap<>();
        query.put("X-Amz-Algorithm", ALGORITHM);
        query.put("X-Amz-Credential", accessKey + "/" + scope);
        query.put("X-Amz-Date", amzDate);
        query.put("X-Amz-Expires", Long.toString(expiry.toSeconds()));
        query.put("X-Amz-SignedHeaders", SIGNED_HEADERS);
        query.put("partNumber", Integer.toString(partNumber));
        query.put("uploadId", uploadId);
        StringJoiner canonicalQuery = new StringJoiner("&");
        new TreeMap<>(encodeAll(query)).forEach((name, value) -> canonicalQuery.add(name + "=" + value));
        String canonicalRequest = "PUT\n" + path + "\n" + canonicalQuery + "\ncontent-length:" + length + "\nhost:" + host
                + "\n\n" + SIGNED_HEADERS + "\nUNSIGNED-PAYLOAD";
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonicalRequest));
        byte[] signingKey = hmac(hmac(hmac(hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date), region), "s3"),
                "aws4_request");
        return endpoint.getScheme() + "://" + host + path + "?" + canonicalQuery + "&X-Amz-Signature="
                + hex(hmac(signingKey, stringToSign));
    }

    private static Map<String, String> encodeAll(Map<String, String> query) {
        Map<String, String> encoded = new TreeMap<>();
        query.forEach((name, value) -> encoded.put(encode(name, false), encode(value, false)));
        return encoded;
    }

    /** RFC 3986 encoding as SigV4 wants it: unreserved characters kept, '/' too in a path. */
    static String encode(String value, boolean path) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
                    || c == '~' || path && c == '/') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
