package io.chat4all.hub.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The S3 API server (MinIO in compose and production, s3proxy in the local stack).
 *
 * @param endpoint  base URL of the S3 API ({@code S3_ENDPOINT})
 * @param region    region used for signing ({@code S3_REGION})
 * @param accessKey access key ({@code S3_ACCESS_KEY})
 * @param secretKey secret key ({@code S3_SECRET_KEY}); no default
 * @param bucket    the hub's bucket ({@code S3_BUCKET})
 */
@ConfigurationProperties("hub.s3")
public record S3Properties(String endpoint, String region, String accessKey, String secretKey, String bucket) {

    public S3Properties {
        region = region == null || region.isBlank() ? "us-east-1" : region;
    }

    @Override
    public String toString() {
        return "S3Properties[endpoint=" + endpoint + ", region=" + region + ", accessKey=" + accessKey
                + ", secretKey=" + (secretKey == null || secretKey.isEmpty() ? "<unset>" : "<set>") + ", bucket=" + bucket + "]";
    }
}
