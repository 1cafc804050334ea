package io.chat4all.hub.consolidator.retention;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long the hub keeps the bookkeeping that only matters for a while ({@code hub.retention.*}).
 *
 * @param enabled   whether the pruning job runs ({@code HUB_RETENTION_ENABLED})
 * @param window    rows older than this are deleted ({@code HUB_RETENTION_WINDOW}); it is also how
 *                  long a client may retry {@code POST /v1/messages} with the same {@code message_id}
 * @param interval  time between two runs ({@code HUB_RETENTION_INTERVAL})
 * @param batchSize rows deleted per statement, so no run holds locks long ({@code HUB_RETENTION_BATCH_SIZE})
 */
@ConfigurationProperties("hub.retention")
public record RetentionProperties(boolean enabled, Duration window, Duration interval, int batchSize) {

    public RetentionProperties {
        window = window == null ? Duration.ofDays(7) : window;
        interval = interval == null ? Duration.ofHours(1) : interval;
        batchSize = batchSize <= 0 ? 10_000 : batchSize;
    }
}
