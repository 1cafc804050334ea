package io.chat4all.hub.gateway.users;

import io.chat4all.hub.gateway.core.GatewayProperties;
import io.chat4all.hub.gateway.core.OutboxRelay;
import io.chat4all.hub.gateway.core.Role;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/** Creates the first administrator at the first start, from HUB_ADMIN_USERNAME / HUB_ADMIN_PASSWORD. */
@Component
class FirstAdmin implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstAdmin.class);

    private final GatewayProperties properties;
    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final OutboxRelay relay;

    FirstAdmin(GatewayProperties properties, UserRepository users, PasswordEncoder passwords, OutboxRelay relay) {
        this.properties = properties;
        this.users = users;
        this.passwords = passwords;
        this.relay = relay;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (users.anyAdmin()) {
            return;
        }
        if (properties.adminPassword() == null || properties.adminPassword().isBlank()) {
            log.warn("there is no administrator and HUB_ADMIN_PASSWORD is not set: nobody can create users");
            return;
        }
        try {
            users.create(new User(UUID.randomUUID(), properties.adminUsername(), "Administrator", Role.ADMIN, Map.of(),
                    Instant.now()), passwords.encode(properties.adminPassword()));
            relay.nudge();
            log.info("created the first administrator '{}'", properties.adminUsername());
        } catch (DuplicateKeyException e) {
            log.info("another gateway instance created the first administrator");
        }
    }
}
