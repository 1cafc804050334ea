package io.chat4all.hub.localstack.engine;

import io.chat4all.hub.localstack.StackLayout;
import io.chat4all.hub.localstack.process.ManagedProcess;
import io.chat4all.hub.localstack.process.OsProcesses;
import io.chat4all.hub.localstack.process.StackException;
import io.chat4all.hub.localstack.process.Wait;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real S3 API server: s3proxy ({@code org.gaul:s3proxy}, its self-contained jar) with a
 * filesystem backend, as its own JVM. Production and docker-compose use MinIO; the hub only speaks
 * the S3 API, so both work the same.
 */
public final class S3Engine implements Engine {

    public static final String REGION = "us-east-1";

    private final StackLayout layout;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    private final List<String> buckets;
    private ManagedProcess process;

    public S3Engine(StackLayout layout, int port, String accessKey, String secretKey, List<String> buckets) {
        this.layout = layout;
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.buckets = List.copyOf(buckets);
    }

    @Override
    public EngineKind kind() {
        return EngineKind.S3;
    }

    @Override
    public List<Integer> ports() {
        return List.of(port);
    }

    @Override
    public void start() {
        Path jar = Path.of(StackLayout.engineArtifacts().getProperty("engines.dir"), "s3proxy.jar");
        if (!Files.isRegularFile(jar)) {
            throw new StackException("the S3 server jar is missing at " + jar, "build the project: ./mvnw -DskipTests package");
        }
        Path data = layout.data("s3");
        Path config = layout.config("s3");
        try {
            Files.createDirectories(data);
            Files.createDirectories(config);
            Path properties = config.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=" + endpoint(),
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + accessKey,
                    "s3proxy.credential=" + secretKey,
                    "s3proxy.cors-allow-all=true",
                    "s3proxy.ignore-unknown-headers=true",
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + data,
                    ""));
            Files.setPosixFilePermissions(properties, PosixFilePermissions.fromString("rw-------"));
            process = ManagedProcess.start("s3", List.of(OsProcesses.javaExecutable(), "-Xms64m", "-Xmx192m",
                    "-XX:+UseSerialGC", "-jar", jar.toString(), "--properties", properties.toString()),
                    Map.of(), data, layout.log("s3"));
        } catch (IOException e) {
            throw new StackException("cannot prepare the S3 server in " + data + ": " + e.getMessage(),
                    "check disk space and permissions", e);
        }
    }

    @Override
    public void awaitReady(Duration timeout) {
        Wait.until("S3 server on port " + port, timeout,
                () -> Probes.s3(endpoint(), accessKey, secretKey, null) && listensForS3(), process);
        createBuckets();
    }

    private boolean listensForS3() {
        try {
            client().listBuckets();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private void createBuckets() {
        MinioClient client = client();
        for (String bucket : buckets) {
            try {
                if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).region(REGION).build());
                }
            } catch (Exception e) {
                throw new StackException("cannot create bucket '" + bucket + "': " + e.getMessage(),
                        "see " + layout.log("s3"), e);
            }
        }
    }

    public MinioClient client() {
        return MinioClient.builder().endpoint(endpoint()).region(REGION).credentials(accessKey, secretKey).build();
    }

    @Override
    public boolean isHealthy() {
        return buckets.stream().allMatch(b -> Probes.s3(endpoint(), accessKey, secretKey, b));
    }

    @Override
    public List<ManagedProcess> processes() {
        return process == null ? List.of() : List.of(process);
    }

    @Override
    public String address() {
        return endpoint();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public Map<String, String> connection() {
        return Map.of("S3_ENDPOINT", endpoint(), "S3_REGION", REGION, "S3_ACCESS_KEY", accessKey,
                "S3_SECRET_KEY", secretKey, "S3_BUCKET", buckets.get(0));
    }
}
