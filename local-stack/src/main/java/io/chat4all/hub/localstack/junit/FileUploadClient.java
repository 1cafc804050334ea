package io.chat4all.hub.localstack.junit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A client of {@code /v1/files} as an app would be one: it asks the gateway for presigned part URLs,
 * PUTs the bytes straight to object storage, and completes with the ETags storage answered.
 */
public final class FileUploadClient {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final HubApi api;
    private final String token;

    public FileUploadClient(HubApi api, String token) {
        this.api = api;
        this.token = token;
    }

    /** Uploads {@code content} whole and returns the available file's id. */
    public String upload(String filename, String contentType, byte[] content) {
        JsonNode started = start(filename, content.length, contentType, sha256(content));
        HubApi.Response completed = complete(started, putParts(started, content));
        if (completed.status() != 200) {
            throw new AssertionError("completing " + filename + " failed: " + completed.raw());
        }
        return started.path("file_id").asString();
    }

    /** {@code POST /v1/files}; fails unless 201. */
    public JsonNode start(String filename, long size, String contentType, String sha256) {
        HubApi.Response started = api.post("/v1/files", token, "{\"filename\":" + HubApi.JSON.writeValueAsString(filename)
                + ",\"size\":" + size
                + ",\"content_type\":\"" + contentType + "\",\"sha256\":\"" + sha256 + "\"}");
        if (started.status() != 201) {
            throw new AssertionError("starting the upload of " + filename + " failed: " + started.raw());
        }
        return started.body();
    }

    /** PUTs the parts of {@code content} to the presigned URLs (as many as it fills) and returns their ETags. */
    public List<String> putParts(JsonNode started, byte[] content) {
        int partSize = started.path("part_size").asInt();
        List<String> etags = new ArrayList<>();
        for (JsonNode part : started.path("parts")) {
            int from = (part.path("part_number").asInt() - 1) * partSize;
            if (from >= content.length) {
                break;
            }
            byte[] bytes = Arrays.copyOfRange(content, from, Math.min(content.length, from + partSize));
            HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(part.path("url").asString()))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
            if (put.statusCode() != 200) {
                throw new AssertionError("PUT of part " + part.path("part_number") + " failed: " + put.body());
            }
            etags.add(put.headers().firstValue("ETag").orElseThrow());
        }
        return etags;
    }

    /** {@code POST /v1/files/{id}/complete} with the ETags in part order. */
    public HubApi.Response complete(JsonNode started, List<String> etags) {
        StringBuilder parts = new StringBuilder();
        for (int i = 0; i < etags.size(); i++) {
            parts.append(i == 0 ? "" : ",").append("{\"part_number\":").append(i + 1).append(",\"etag\":")
                    .append(HubApi.JSON.writeValueAsString(etags.get(i))).append('}');
        }
        return api.post("/v1/files/" + started.path("file_id").asString() + "/complete", token,
                "{\"parts\":[" + parts + "]}");
    }

    /** The bytes behind a presigned download URL. */
    public static byte[] download(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return HTTP.send(request, body);
        } catch (IOException e) {
            throw new AssertionError("request to storage failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
