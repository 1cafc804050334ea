package io.chat4all.hub.autoconfigure;

import io.chat4all.hub.contracts.kafka.TopicSpec;
import java.util.Arrays;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * How the topics a service owns are created ({@code TopicBuilder} beans).
 *
 * @param partitions        partitions per topic ({@code HUB_TOPIC_PARTITIONS}); the unit of parallelism
 * @param replicationFactor replicas per partition ({@code HUB_TOPIC_REPLICATION}); 3 in production
 */
@ConfigurationProperties("hub.topics")
public record TopicProperties(int partitions, short replicationFactor) {

    public TopicProperties {
        partitions = partitions <= 0 ? 6 : partitions;
        replicationFactor = replicationFactor <= 0 ? 1 : replicationFactor;
    }

    /**
     * The topics a service writes or reads, as created at its start. An existing topic keeps its
     * partitions; its cleanup policy is brought in line ({@code spring.kafka.admin.modify-topic-configs}),
     * so a topic created before it was compacted becomes compacted.
     */
    public KafkaAdmin.NewTopics declare(TopicSpec<?, ?>... owned) {
        return new KafkaAdmin.NewTopics(Arrays.stream(owned)
                .map(spec -> {
                    TopicBuilder topic = TopicBuilder.name(spec.name()).partitions(partitions).replicas(replicationFactor);
                    return spec.compacted() ? topic.compact().build() : topic.build();
                })
                .toArray(NewTopic[]::new));
    }
}
