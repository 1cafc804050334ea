package io.chat4all.hub.simulator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Stands in for Meta's WhatsApp Cloud API and Instagram Messaging API in local runs and tests. */
@SpringBootApplication
public class ProviderSimulatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProviderSimulatorApplication.class, args);
    }
}
