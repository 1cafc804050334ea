package io.chat4all.hub.autoconfigure;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** UP when the S3 server answers and the hub's bucket exists. */
class S3HealthIndicator extends AbstractHealthIndicator {

    private final MinioClient client;
    private final S3Properties properties;

    S3HealthIndicator(MinioClient client, S3Properties properties) {
        super("S3 health check failed");
        this.client = client;
        this.properties = properties;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        if (properties.secretKey() == null || properties.secretKey().isBlank()
                || properties.accessKey() == null || properties.accessKey().isBlank()) {
            builder.down().withDetail("reason", "S3_ACCESS_KEY or S3_SECRET_KEY is not set");
            return;
        }
        boolean exists = client.bucketExists(BucketExistsArgs.builder().bucket(properties.bucket()).build());
        builder.status(exists ? "UP" : "DOWN")
                .withDetail("endpoint", properties.endpoint())
                .withDetail("bucket", properties.bucket());
        if (!exists) {
            builder.withDetail("reason", "bucket does not exist");
        }
    }
}
