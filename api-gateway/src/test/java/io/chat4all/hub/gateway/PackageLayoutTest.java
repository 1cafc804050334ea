package io.chat4all.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The gateway is packaged by feature (docs/services/api-gateway.md): {@code core} imports no
 * feature, and a feature uses another only through the few types that feature exposes, never its
 * internals. Read from the sources, so a new import across features fails here until the map (and
 * the docs) say it is meant.
 */
class PackageLayoutTest {

    private static final Path SOURCES = Path.of("src/main/java/io/chat4all/hub/gateway");
    private static final String CORE = "core";
    private static final Set<String> FEATURES = Set.of("admin", "auth", "conversations", "files", "messages",
            "realtime", "search", "users");

    /** What each feature offers the others; everything else in it is its own business. */
    private static final Map<String, Set<String>> EXPOSED = Map.of(
            "auth", Set.of("AccessControl", "AccessRepository", "PasswordHashing"),
            "conversations", Set.of("ConversationRepository"),
            "files", Set.of("FileProperties", "FileRepository", "StoredFile"),
            "messages", Set.of("ArchivedHistory", "HistoryRepository"),
            "users", Set.of("ContactDirectory", "UserRepository"));

    private static final Pattern REFERENCE = Pattern.compile("io\\.chat4all\\.hub\\.gateway\\.(\\w+)\\.([A-Z]\\w*)");

    @Test
    void shouldKeepEveryClassInCoreOrAFeature() throws IOException {
        try (Stream<Path> children = Files.list(SOURCES)) {
            Set<String> packages = new TreeSet<>();
            children.filter(Files::isDirectory).forEach(dir -> packages.add(dir.getFileName().toString()));
            Set<String> expected = new TreeSet<>(FEATURES);
            expected.add(CORE);
            assertThat(packages).isEqualTo(expected);
        }
    }

    @Test
    void shouldImportOnlyTheCoreAndWhatOtherFeaturesExpose() throws IOException {
        List<String> wrong = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(SOURCES)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(source);
                if (relative.getNameCount() < 2) {
                    continue; // the application class
                }
                String own = relative.getName(0).toString();
                Matcher reference = REFERENCE.matcher(read(source));
                while (reference.find()) {
                    String target = reference.group(1);
                    String type = reference.group(2);
                    if (target.equals(own) || target.equals(CORE) && !own.equals(CORE)) {
                        continue;
                    }
                    if (own.equals(CORE)) {
                        wrong.add(relative + " (core) uses the feature " + target + " (" + type + ")");
                    } else if (!EXPOSED.getOrDefault(target, Set.of()).contains(type)) {
                        wrong.add(relative + " uses " + target + "." + type + ", which " + target + " does not expose");
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static String read(Path source) {
        try {
            return Files.readString(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
