package io.chat4all.hub.channel.provider;

import io.chat4all.hub.channel.domain.SendOutcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A send call to Meta's Graph API (WhatsApp Cloud API and Instagram Messaging share it), classified
 * into a {@link SendOutcome}. Both answer errors as {@code {"error":{"code","message",
 * "error_subcode"?,"error_data"?:{"details"}}}}: throttling, server trouble and a refused token are
 * worth retrying; any other 4xx is the provider's final word.
 */
public final class GraphApi {

    private static final Logger log = LoggerFactory.getLogger(GraphApi.class);

    /** Graph API codes for a token or app that is not allowed (an operator has to fix it, then replay). */
    private static final Set<Integer> ACCESS_CODES = Set.of(10, 190, 200);

    private final HttpClient http;
    private final Duration timeout;
    private final JsonMapper json = JsonMapper.builder().build();

    public GraphApi(Duration timeout) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
    }

    /** {@code {base}/{version}/{account}/messages}, the send endpoint of both Meta channels. */
    public static URI messagesEndpoint(String baseUrl, String apiVersion, String account) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return URI.create(base + "/" + apiVersion + "/" + account + "/messages");
    }

    /**
     * POSTs {@code body} as JSON with the bearer token.
     *
     * @param idOf           reads the provider's message id from a 2xx answer
     * @param retryCodes     provider error codes worth retrying whatever the HTTP status (throttling, "try again")
     */
    public SendOutcome post(URI uri, String token, Object body, Function<JsonNode, String> idOf,
                            Set<Integer> retryCodes) {
        HttpResponse<byte[]> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            return new SendOutcome.Transient("timeout", "no answer within " + timeout.toMillis() + " ms", null);
        } catch (IOException e) {
            return new SendOutcome.Transient("io", String.valueOf(e.getMessage()), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendOutcome.Transient("interrupted", "the adapter is stopping", null);
        }
        return classify(response, idOf, retryCodes);
    }

    SendOutcome classify(HttpResponse<byte[]> response, Function<JsonNode, String> idOf, Set<Integer> retryCodes) {
        int status = response.statusCode();
        JsonNode answer = parse(response.body());
        if (status / 100 == 2) {
            String id = answer == null ? null : idOf.apply(answer);
            return id == null || id.isBlank()
                    ? new SendOutcome.Transient("bad_answer", "HTTP " + status + " without a message id", null)
                    : new SendOutcome.Sent(id);
        }
        JsonNode error = answer == null ? null : answer.path("error");
        int code = error == null ? 0 : error.path("code").asInt(0);
        String reason = reason(error, status);
        String codeText = code == 0 ? "http_" + status : Integer.toString(code);
        Duration retryAfter = response.headers().firstValue("Retry-After").flatMap(GraphApi::seconds).orElse(null);
        if (status == 429 || retryCodes.contains(code)) {
            return new SendOutcome.Transient(codeText, reason, retryAfter);
        }
        if (status >= 500 || status == 408) {
            return new SendOutcome.Transient(codeText, reason, retryAfter);
        }
        if (status == 401 || status == 403 || ACCESS_CODES.contains(code)) {
            log.error("the provider refused the adapter's credentials ({} {}): check the access token; deliveries "
                    + "wait until it is fixed", codeText, reason);
            return new SendOutcome.Unauthorized(codeText, reason);
        }
        return new SendOutcome.Permanent(codeText, reason);
    }

    private static String reason(JsonNode error, int status) {
        if (error == null || error.isMissingNode()) {
            return "HTTP " + status;
        }
        String message = error.path("message").asString("HTTP " + status);
        String details = error.path("error_data").path("details").asString("");
        return details.isEmpty() ? message : message + ": " + details;
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (JacksonException notJson) {
            return null;
        }
    }

    private static Optional<Duration> seconds(String header) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(header.trim())));
        } catch (NumberFormatException notSeconds) {
            return Optional.empty();
        }
    }
}
