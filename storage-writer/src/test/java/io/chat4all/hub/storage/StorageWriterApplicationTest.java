package io.chat4all.hub.storage;

import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.ServiceChecks;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** storage-writer boots against the real engines it uses and reports each of them in its health. */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StorageWriterApplicationTest {

    @Value("${local.server.port}")
    int port;

    @Test
    void shouldReportUpWithOneIndicatorPerEngineItUses() {
        ServiceChecks.assertHealthy(port, "kafka", "db");
    }
}
