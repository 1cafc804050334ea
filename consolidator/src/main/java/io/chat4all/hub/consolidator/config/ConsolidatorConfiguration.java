package io.chat4all.hub.consolidator.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Wiring of consolidator. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsolidatorProperties.class)
class ConsolidatorConfiguration {
}
