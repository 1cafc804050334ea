package io.chat4all.hub.gateway.files;

import io.chat4all.hub.autoconfigure.S3Properties;
import io.chat4all.hub.gateway.core.ObjectStore;
import io.minio.MinioAsyncClient;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Attachments: the object store (one client for calls, one that only signs URLs for the endpoint
 * clients reach) and a small pool for its blocking work (a 2 GiB checksum takes seconds).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FileProperties.class)
class FileConfiguration {

    @Bean
    ObjectStore objectStore(S3Properties s3, FileProperties files) {
        String publicEndpoint = files.publicEndpoint() == null || files.publicEndpoint().isBlank()
                ? s3.endpoint() : files.publicEndpoint();
        MinioAsyncClient client = client(s3.endpoint(), s3);
        client.setTimeout(Duration.ofSeconds(5).toMillis(), Duration.ofMinutes(2).toMillis(), Duration.ofMinutes(2).toMillis());
        return new ObjectStore(client, client(publicEndpoint, s3), publicEndpoint, s3.bucket(), s3.region(), s3.accessKey(),
                s3.secretKey());
    }

    @Bean(destroyMethod = "dispose")
    Scheduler fileWork() {
        return Schedulers.newBoundedElastic(4, 1_000, "files");
    }

    /**
     * SHA-256 verification of completed uploads (reads the whole object back): one thread per two
     * cores, {@value #HASHING_QUEUE} waiting at most; beyond, a completion is refused with 503 and
     * Retry-After (the upload stays completable) instead of taking the threads other file
     * requests need.
     */
    @Bean(destroyMethod = "dispose")
    Scheduler fileHashing() {
        return Schedulers.newBoundedElastic(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), HASHING_QUEUE,
                "sha256");
    }

    static final int HASHING_QUEUE = 64;

    private static MinioAsyncClient client(String endpoint, S3Properties s3) {
        return MinioAsyncClient.builder().endpoint(endpoint).region(s3.region())
                .credentials(s3.accessKey(), s3.secretKey()).build();
    }
}
