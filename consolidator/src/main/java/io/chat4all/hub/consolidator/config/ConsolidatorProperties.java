package io.chat4all.hub.consolidator.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What is archived, and when.
 *
 * @param hotWindow history younger than this stays in PostgreSQL
 * @param interval how often a scheduled archive run starts
 */
@ConfigurationProperties("hub.consolidator")
public record ConsolidatorProperties(
        java.time.Duration hotWindow,
        java.time.Duration interval) {
}
