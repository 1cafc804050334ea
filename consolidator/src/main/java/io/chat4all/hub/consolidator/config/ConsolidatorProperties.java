package io.chat4all.hub.consolidator.config;

import io.chat4all.hub.consolidator.archive.UserArchiver;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What is archived, and when.
 *
 * @param hotWindow history younger than this stays in PostgreSQL
 * @param scheduleEnabled queue an archive run every {@code interval}; on-demand jobs run either way
 * @param interval how often a scheduled archive run is queued
 * @param poll how often queued jobs (requested through the API) are looked for
 * @param parallelism users archived at the same time
 * @param maxRowsPerObject rows per Parquet object (a user with more due history gets several)
 * @param rowGroupSize a conversation's rows are split into row groups of about this size
 * @param staleAfter a running job whose heartbeat is older than this lost its runner and is resumed
 * @param userLockWait how long a run waits for another run that is archiving the same user (a
 *                     scheduled and a requested run meeting) before it counts that user failed
 * @param crashPoint test hook only: halt the process at this point ({@code NONE} in production)
 */
@ConfigurationProperties("hub.consolidator")
public record ConsolidatorProperties(
        @DefaultValue("7d") Duration hotWindow,
        @DefaultValue("true") boolean scheduleEnabled,
        @DefaultValue("5m") Duration interval,
        @DefaultValue("2s") Duration poll,
        @DefaultValue("4") int parallelism,
        @DefaultValue("50000") int maxRowsPerObject,
        @DefaultValue("1MB") DataSize rowGroupSize,
        @DefaultValue("2m") Duration staleAfter,
        @DefaultValue("30m") Duration userLockWait,
        @DefaultValue("NONE") UserArchiver.CrashPoint crashPoint) {
}
