package io.chat4all.hub.indexer;

import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.ServiceChecks;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** indexer boots against the real engines it uses and reports each of them in its health. */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.ELASTICSEARCH})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IndexerApplicationTest {

    @Value("${local.server.port}")
    int port;

    @Test
    void shouldReportUpWithOneIndicatorPerEngineItUses() {
        ServiceChecks.assertHealthy(port, "kafka", "db", "elasticsearch");
    }
}
