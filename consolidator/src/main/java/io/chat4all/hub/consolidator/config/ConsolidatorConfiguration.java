package io.chat4all.hub.consolidator.config;

import io.chat4all.hub.autoconfigure.S3Properties;
import io.chat4all.hub.consolidator.archive.ArchiveStore;
import io.chat4all.hub.consolidator.archive.HotHistory;
import io.chat4all.hub.archive.ParquetArchives;
import io.chat4all.hub.consolidator.archive.UserArchiver;
import io.chat4all.hub.consolidator.archive.UserLocks;
import io.chat4all.hub.consolidator.jobs.ArchiveJobStore;
import io.chat4all.hub.consolidator.jobs.JobRunner;
import io.micrometer.core.instrument.MeterRegistry;
import io.minio.MinioClient;
import java.net.InetAddress;
import java.time.Clock;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Wiring of consolidator: the job runner and the per-user archiving pipeline behind it. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsolidatorProperties.class)
class ConsolidatorConfiguration {

    @Bean
    ParquetArchives parquetArchives(ConsolidatorProperties properties) {
        return new ParquetArchives(properties.rowGroupSize().toBytes());
    }

    @Bean
    UserArchiver userArchiver(JdbcTemplate jdbc, TransactionTemplate transactions, DataSource dataSource, MinioClient s3,
                              S3Properties s3Properties, ParquetArchives parquet, ConsolidatorProperties properties) {
        return new UserArchiver(new HotHistory(jdbc, transactions), parquet, new ArchiveStore(s3, s3Properties.bucket(), parquet),
                new UserLocks(dataSource), properties.userLockWait(), properties.maxRowsPerObject(), properties.crashPoint(),
                Clock.systemUTC());
    }

    @Bean
    JobRunner jobRunner(JdbcTemplate jdbc, UserArchiver archiver, ConsolidatorProperties properties, MeterRegistry meters) {
        return new JobRunner(new ArchiveJobStore(jdbc), archiver, new JobRunner.Settings(properties.hotWindow(),
                properties.scheduleEnabled(), properties.interval(), properties.poll(), properties.parallelism(), properties.staleAfter(), instance()),
                Clock.systemUTC(), meters);
    }

    private static String instance() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "consolidator";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 4);
    }
}
