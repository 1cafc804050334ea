package io.chat4all.hub.router.config;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * The topology's state: UP while running or rebalancing, DOWN once it stopped or failed (a router
 * that does not route must not look ready), OUT_OF_SERVICE before it started.
 */
@Component("streamsHealthIndicator")
class StreamsHealthIndicator extends AbstractHealthIndicator {

    private final StreamsBuilderFactoryBean streams;

    StreamsHealthIndicator(StreamsBuilderFactoryBean streams) {
        super("Kafka Streams health check failed");
        this.streams = streams;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        KafkaStreams kafkaStreams = streams.getKafkaStreams();
        if (kafkaStreams == null) {
            builder.outOfService().withDetail("state", "NOT_STARTED");
            return;
        }
        KafkaStreams.State state = kafkaStreams.state();
        builder.withDetail("state", state.name());
        switch (state) {
            case RUNNING, REBALANCING -> builder.up();
            case CREATED -> builder.outOfService();
            default -> builder.down();
        }
    }
}
