package io.chat4all.hub.indexer.cdc;

import io.chat4all.hub.indexer.config.IndexerProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.jdbc.core.JdbcTemplate;

/** Builds the change-data-capture engine publishing to the CDC topic. */
public final class CdcEngines {

    private CdcEngines() {
    }

    public static CdcEngine create(IndexerProperties.Cdc cdc, String jdbcUrl, String user, String password,
                                   Producer<String, String> producer, String topic, JdbcTemplate jdbc,
                                   MeterRegistry meters) {
        return new CdcEngine(DebeziumSettings.of(cdc, jdbcUrl, user, password),
                new CdcPublisher(producer, topic, Duration.ofSeconds(30), meters), cdc,
                new LostSlotRecovery(jdbc, cdc.slotName(), cdc.offsetsTable(), cdc.recoverLostSlot(), meters));
    }
}
