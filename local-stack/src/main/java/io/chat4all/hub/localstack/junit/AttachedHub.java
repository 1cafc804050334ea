package io.chat4all.hub.localstack.junit;

import io.chat4all.hub.localstack.cli.Endpoints;
import io.chat4all.hub.localstack.process.StackException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Reads the engines of a running {@code ./hub up} from its {@code .hub/endpoints.json}. */
final class AttachedHub {

    private AttachedHub() {
    }

    static Map<String, String> connection() {
        Path file = locate();
        return Endpoints.read(file).env();
    }

    private static Path locate() {
        String home = System.getenv("HUB_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home, "endpoints.json");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(".hub").resolve("endpoints.json");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new StackException("HUB_TEST_ATTACH is set but no .hub/endpoints.json was found from "
                + Path.of("").toAbsolutePath(), "start the hub first with ./hub up --detach, or unset HUB_TEST_ATTACH");
    }
}
