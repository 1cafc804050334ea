package io.chat4all.hub.instagram.config;

import io.chat4all.hub.channel.config.ChannelCoreConfiguration;
import io.chat4all.hub.channel.config.ChannelProperties;
import io.chat4all.hub.channel.domain.ProviderClient;
import io.chat4all.hub.channel.provider.GraphApi;
import io.chat4all.hub.channel.web.WebhookSignature;
import io.chat4all.hub.channel.web.WebhookVerification;
import io.chat4all.hub.instagram.provider.InstagramClient;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Wiring of channel-instagram: the Instagram Messaging API client inside the shared channel machinery. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InstagramProperties.class)
@Import(ChannelCoreConfiguration.class)
class ChannelInstagramConfiguration {

    @Bean
    ProviderClient instagramClient(InstagramProperties instagram, ChannelProperties channel) {
        require(instagram.accessToken(), "INSTAGRAM_ACCESS_TOKEN");
        return new InstagramClient(instagram, new GraphApi(channel.requestTimeout()));
    }

    @Bean
    WebhookSignature instagramSignature(InstagramProperties instagram) {
        require(instagram.appSecret(), "INSTAGRAM_APP_SECRET");
        return new WebhookSignature(instagram.appSecret());
    }

    @Bean
    WebhookVerification instagramVerification(InstagramProperties instagram) {
        require(instagram.verifyToken(), "INSTAGRAM_VERIFY_TOKEN");
        return new WebhookVerification(instagram.verifyToken());
    }

    private static void require(String value, String variable) {
        ChannelProperties.required(value, variable, "channel-instagram");
    }
}
