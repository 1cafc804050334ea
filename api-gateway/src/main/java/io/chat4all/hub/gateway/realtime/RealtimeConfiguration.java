package io.chat4all.hub.gateway.realtime;

import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

/** {@code /v1/ws} served by {@link RealtimeWebSocket} (before the annotated controllers). */
@Configuration(proxyBeanMethods = false)
class RealtimeConfiguration {

    @Bean
    HandlerMapping realtimeWebSocketMapping(RealtimeWebSocket handler) {
        return new SimpleUrlHandlerMapping(Map.of("/v1/ws", handler), -1);
    }
}
