package io.chat4all.hub.autoconfigure;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** UP when the Kafka cluster answers a metadata request in time; reports the broker count. */
class KafkaHealthIndicator extends AbstractHealthIndicator implements DisposableBean, AutoCloseable {

    private final Admin admin;
    private final Duration timeout;

    KafkaHealthIndicator(Admin admin, Duration timeout) {
        super("Kafka health check failed");
        this.admin = admin;
        this.timeout = timeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
        Collection<Node> nodes = cluster.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        String clusterId = cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        builder.status(nodes.isEmpty() ? "DOWN" : "UP")
                .withDetail("clusterId", clusterId)
                .withDetail("brokers", nodes.size());
    }

    @Override
    public void destroy() {
        close();
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
