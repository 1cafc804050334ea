package io.chat4all.hub.whatsapp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Delivers outbound messages through the WhatsApp Cloud API and turns its webhooks into statuses and inbound messages. */
@SpringBootApplication
public class ChannelWhatsAppApplication {

    public static void main(String[] args) {
        SpringApplication.run(ChannelWhatsAppApplication.class, args);
    }
}
