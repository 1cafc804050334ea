package io.chat4all.hub.router;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Kafka Streams: per-conversation order (seq), membership, fan-out to per-participant storage and channel topics. */
@SpringBootApplication
public class MessageRouterApplication {

    public static void main(String[] args) {
        SpringApplication.run(MessageRouterApplication.class, args);
    }
}
