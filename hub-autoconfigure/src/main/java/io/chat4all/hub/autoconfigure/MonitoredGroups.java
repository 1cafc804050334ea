package io.chat4all.hub.autoconfigure;

import java.util.Collection;

/**
 * Consumer groups a service runs outside Spring Kafka's listener containers (a Kafka Streams
 * application id), declared as a bean so the {@code consumerProgress} health indicator watches them too.
 */
@FunctionalInterface
public interface MonitoredGroups {

    Collection<String> groups();
}
