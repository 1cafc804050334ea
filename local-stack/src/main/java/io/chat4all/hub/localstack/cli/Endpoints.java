package io.chat4all.hub.localstack.cli;

import io.chat4all.hub.localstack.process.StackException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code .hub/endpoints.json}: where everything of a running hub is, for tools, scripts, the
 * benchmark and tests that attach. Written once the stack is healthy, mode 600 (it holds secrets).
 *
 * @param env every connection variable, as the services read them ({@code KAFKA_BOOTSTRAP_SERVERS}, …)
 */
public record Endpoints(String gatewayUrl, Map<String, Service> services, Map<String, Map<String, String>> engines,
                        Admin admin, Map<String, String> env) {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /**
     * A service: its base URL, its health URL and the base URL of its actuator ({@code management};
     * a port of its own for hub services, e.g. {@code management + "/actuator/prometheus"}).
     */
    public record Service(String url, String health, String management) {
    }

    /** The local administrator created at the gateway's first start. */
    public record Admin(String username, String password) {
    }

    public void write(Path file) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, JSON.writeValueAsString(this));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StackException("cannot write " + file + ": " + e.getMessage(), "check permissions of .hub/", e);
        }
    }

    public static Endpoints read(Path file) {
        try {
            return JSON.readValue(file.toFile(), Endpoints.class);
        } catch (JacksonException e) {
            throw new StackException("cannot read " + file + ": " + e.getOriginalMessage(),
                    "restart the hub (./hub down && ./hub up) to rewrite it", e);
        }
    }
}
