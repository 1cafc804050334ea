package io.chat4all.hub.instagram;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Delivers outbound messages through the Instagram Messaging API and turns its webhooks into statuses and inbound messages. */
@SpringBootApplication
public class ChannelInstagramApplication {

    public static void main(String[] args) {
        SpringApplication.run(ChannelInstagramApplication.class, args);
    }
}
