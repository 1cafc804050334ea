package io.chat4all.hub.gateway.realtime;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Real-time streams ({@code GET /v1/stream}, {@code GET /v1/ws}).
 *
 * @param buffer                events a stream may have waiting (replaying, or a slow client)
 *                              before it is closed ({@code HUB_REALTIME_BUFFER})
 * @param heartbeat             how often an idle stream gets a heartbeat ({@code HUB_REALTIME_HEARTBEAT})
 * @param maxConnectionsPerUser open streams per user on one instance ({@code HUB_REALTIME_MAX_CONNECTIONS_PER_USER})
 * @param maxConnections        open streams on one instance ({@code HUB_REALTIME_MAX_CONNECTIONS}); more are
 *                              refused with 503 rather than run the heap out. Default: one per 64 KiB
 *                              of maximum heap (an idle stream costs about 40 KiB of heap, measured)
 * @param storageWait           how long a replaying stream waits for storage to hold what was
 *                              already pushed live; after that it is closed with {@code storage_behind}
 *                              ({@code HUB_REALTIME_STORAGE_WAIT})
 */
@ConfigurationProperties("hub.gateway.realtime")
public record RealtimeProperties(Integer buffer, Duration heartbeat, Integer maxConnectionsPerUser, Integer maxConnections,
                                 Duration storageWait) {

    public RealtimeProperties {
        buffer = buffer == null ? 1000 : buffer;
        heartbeat = heartbeat == null ? Duration.ofSeconds(30) : heartbeat;
        maxConnectionsPerUser = maxConnectionsPerUser == null ? 10 : maxConnectionsPerUser;
        maxConnections = maxConnections == null || maxConnections <= 0
                ? (int) Math.max(100, Runtime.getRuntime().maxMemory() / (64 * 1024)) : maxConnections;
        storageWait = storageWait == null ? Duration.ofSeconds(10) : storageWait;
    }
}
