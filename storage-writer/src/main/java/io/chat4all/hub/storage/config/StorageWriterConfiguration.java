package io.chat4all.hub.storage.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Wiring of storage-writer. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageWriterProperties.class)
class StorageWriterConfiguration {
}
