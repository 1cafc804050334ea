package io.chat4all.hub.consolidator.retention;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The retention job, on Spring's scheduler. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(RetentionProperties.class)
class RetentionConfiguration {

    @Bean
    RetentionJob retentionJob(JdbcTemplate jdbc, RetentionProperties properties, MeterRegistry meters) {
        return new RetentionJob(jdbc, properties, Clock.systemUTC(), meters);
    }
}
