package io.chat4all.hub.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot be run on the development machines (no Docker engine), so this test
 * keeps it honest: every service in it gets exactly the variables its configuration reads for
 * the engines it uses, on the port it listens on, after those engines are healthy.
 */
class ComposeConsistencyTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private static final Map<String, Set<String>> ENGINE_VARIABLES = Map.of(
            "kafka", Set.of("KAFKA_BOOTSTRAP_SERVERS"),
            "db", Set.of("POSTGRES_URL", "POSTGRES_USER", "POSTGRES_PASSWORD"),
            "s3", Set.of("S3_ENDPOINT", "S3_REGION", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_BUCKET"),
            "elasticsearch", Set.of("ELASTICSEARCH_URL"));
    private static final Map<String, String> ENGINE_CONTAINERS = Map.of(
            "kafka", "kafka", "db", "postgres", "s3", "minio", "elasticsearch", "elasticsearch");

    static Stream<String> services() {
        return Stream.of("api-gateway", "message-router", "channel-whatsapp", "channel-instagram", "storage-writer",
                "indexer", "consolidator");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void shouldGiveEachServiceTheVariablesOfTheEnginesItUses(String service) throws IOException {
        Map<String, Object> definition = composeService(service);
        Set<String> given = new TreeSet<>(environment(definition).keySet());
        Set<String> engines = enginesOf(service);

        Set<String> needed = new TreeSet<>();
        engines.forEach(engine -> needed.addAll(ENGINE_VARIABLES.get(engine)));
        assertThat(given).as("%s: variables of its engines %s", service, engines).containsAll(needed);

        Set<String> readable = new HashSet<>(variablesIn(serviceConfig(service)));
        readable.addAll(needed);
        readable.add("SERVER_PORT");
        readable.add("MANAGEMENT_SERVER_PORT");
        readable.add("SPRING_PROFILES_ACTIVE");
        assertThat(readable).as("%s: every variable compose sets must be read by the service", service)
                .containsAll(given);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void shouldRunEachServiceOnItsPortAfterItsEnginesAreHealthy(String service) throws IOException {
        Map<String, Object> definition = composeService(service);
        String config = serviceConfig(service);
        Matcher port = Pattern.compile("port: \\$\\{SERVER_PORT:(\\d+)}").matcher(config);
        assertThat(port.find()).as("%s declares SERVER_PORT with a default", service).isTrue();
        assertThat(String.valueOf(environment(definition).get("SERVER_PORT"))).isEqualTo(port.group(1));

        @SuppressWarnings("unchecked")
        Map<String, Map<String, String>> dependsOn = (Map<String, Map<String, String>>) definition.get("depends_on");
        assertThat(dependsOn).as("%s depends_on", service).isNotNull();
        for (String engine : enginesOf(service)) {
            String container = ENGINE_CONTAINERS.get(engine);
            assertThat(dependsOn).as("%s waits for %s", service, container).containsKey(container);
            assertThat(dependsOn.get(container).get("condition")).isEqualTo("service_healthy");
        }
        assertThat(definition).as("%s has a healthcheck", service).containsKey("healthcheck");
        // the actuator on a port of its own, checked there, and not published to the host
        int management = Integer.parseInt(String.valueOf(environment(definition).get("MANAGEMENT_SERVER_PORT")));
        assertThat(management).as("%s: MANAGEMENT_SERVER_PORT", service).isEqualTo(Integer.parseInt(port.group(1)) + 1000);
        assertThat(String.valueOf(((Map<?, ?>) definition.get("healthcheck")).get("test")))
                .as("%s: the healthcheck asks the management port", service).contains("$${MANAGEMENT_SERVER_PORT}/actuator/health/readiness");
        assertThat(String.valueOf(definition.get("ports"))).as("%s: the management port is not published", service)
                .doesNotContain(":" + management);
        assertThat(definition).as("%s has a memory limit", service).containsKey("mem_limit");
        @SuppressWarnings("unchecked")
        Map<String, Object> build = (Map<String, Object>) definition.get("build");
        assertThat(build).as("%s is built from the repository", service).isNotNull();
        assertThat(((Map<?, ?>) build.get("args")).get("SERVICE")).isEqualTo(service);
    }

    @Test
    void shouldListEveryRequiredSecretInEnvExample() throws IOException {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        String example = Files.readString(ROOT.resolve(".env.example"));
        Matcher required = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?").matcher(compose);
        List<String> missing = new java.util.ArrayList<>();
        while (required.find()) {
            if (!Pattern.compile("(?m)^" + required.group(1) + "=").matcher(example).find()) {
                missing.add(required.group(1));
            }
        }
        assertThat(missing).as("required variables missing from .env.example").isEmpty();
        assertThat(example).doesNotContainPattern("(?m)^[A-Z_]*(PASSWORD|SECRET)[A-Z_]*=(?!change-me)\\S+");
    }

    /** The services' S3 account is not MinIO's root: it is created by minio-init with a policy on the hub's bucket only. */
    @Test
    void shouldGiveTheServicesAnS3AccountScopedToTheBucketNotTheRootCredentials() throws IOException {
        Map<String, Object> minio = environment(composeService("minio"));
        assertThat(String.valueOf(minio.get("MINIO_ROOT_USER"))).contains("${MINIO_ROOT_USER").doesNotContain("S3_ACCESS_KEY");
        assertThat(String.valueOf(minio.get("MINIO_ROOT_PASSWORD"))).contains("${MINIO_ROOT_PASSWORD")
                .doesNotContain("S3_SECRET_KEY");
        for (String service : services().toList()) {
            assertThat(environment(composeService(service)).keySet()).as(service).doesNotContain("MINIO_ROOT_USER",
                    "MINIO_ROOT_PASSWORD");
        }
        String init = String.valueOf(composeService("minio-init").get("command"));
        assertThat(init).contains("mc admin user add root \"$${S3_ACCESS_KEY}\"")
                .contains("mc admin policy attach root chat4all-services --user \"$${S3_ACCESS_KEY}\"")
                .contains("arn:aws:s3:::$${S3_BUCKET}/*").doesNotContain("arn:aws:s3:::*").doesNotContain("\"s3:*\"");
    }

    @Test
    void shouldCopyEveryModuleOfTheBuildIntoTheImageBuild() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        List<String> missing = new java.util.ArrayList<>();
        while (module.find()) {
            if (!Pattern.compile("(?m)^COPY " + Pattern.quote(module.group(1)) + " ").matcher(dockerfile).find()) {
                missing.add(module.group(1));
            }
        }
        assertThat(missing).as("modules the Dockerfile does not copy (Maven refuses a reactor with a missing module)")
                .isEmpty();
    }

    private static Set<String> enginesOf(String service) throws IOException {
        Matcher include = Pattern.compile("include: readinessState,([a-zA-Z0-9,]+)").matcher(serviceConfig(service));
        assertThat(include.find()).as("%s lists its engines in the readiness group", service).isTrue();
        Set<String> engines = new TreeSet<>(List.of(include.group(1).split(",")));
        // Engines a service uses without needing them to be ready (the gateway serves most requests
        // without S3 or Elasticsearch) are switched on by hub.<engine>.enabled.
        for (String optional : List.of("s3", "elasticsearch")) {
            if (Pattern.compile("(?m)^  " + optional + ":\\s*\\n\\s+enabled: true").matcher(serviceConfig(service)).find()) {
                engines.add(optional);
            }
        }
        engines.retainAll(ENGINE_VARIABLES.keySet());
        return engines;
    }

    private static Set<String> variablesIn(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String serviceConfig(String service) throws IOException {
        return Files.readString(ROOT.resolve(service).resolve("src/main/resources/application.yml"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> composeService(String service) throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        assertThat(services).as("docker-compose.yml services").containsKey(service);
        return (Map<String, Object>) services.get(service);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> definition) {
        Object environment = definition.get("environment");
        if (environment instanceof Map<?, ?> map) {
            return new LinkedHashMap<>((Map<String, Object>) map);
        }
        Map<String, Object> fromList = new LinkedHashMap<>();
        for (Object entry : (List<Object>) environment) {
            String[] kv = entry.toString().split("=", 2);
            fromList.put(kv[0], kv.length > 1 ? kv[1] : null);
        }
        return fromList;
    }
}
