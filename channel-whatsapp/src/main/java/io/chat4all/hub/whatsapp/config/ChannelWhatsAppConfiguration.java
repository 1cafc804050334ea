package io.chat4all.hub.whatsapp.config;

import io.chat4all.hub.channel.config.ChannelCoreConfiguration;
import io.chat4all.hub.channel.config.ChannelProperties;
import io.chat4all.hub.channel.domain.ProviderClient;
import io.chat4all.hub.channel.provider.GraphApi;
import io.chat4all.hub.channel.web.WebhookSignature;
import io.chat4all.hub.channel.web.WebhookVerification;
import io.chat4all.hub.whatsapp.provider.WhatsAppClient;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Wiring of channel-whatsapp: the WhatsApp Cloud API client inside the shared channel machinery. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WhatsAppProperties.class)
@Import(ChannelCoreConfiguration.class)
class ChannelWhatsAppConfiguration {

    @Bean
    ProviderClient whatsAppClient(WhatsAppProperties whatsapp, ChannelProperties channel) {
        require(whatsapp.phoneNumberId(), "WHATSAPP_PHONE_NUMBER_ID");
        require(whatsapp.accessToken(), "WHATSAPP_ACCESS_TOKEN");
        return new WhatsAppClient(whatsapp, new GraphApi(channel.requestTimeout()));
    }

    @Bean
    WebhookSignature whatsAppSignature(WhatsAppProperties whatsapp) {
        require(whatsapp.appSecret(), "WHATSAPP_APP_SECRET");
        return new WebhookSignature(whatsapp.appSecret());
    }

    @Bean
    WebhookVerification whatsAppVerification(WhatsAppProperties whatsapp) {
        require(whatsapp.verifyToken(), "WHATSAPP_VERIFY_TOKEN");
        return new WebhookVerification(whatsapp.verifyToken());
    }

    private static void require(String value, String variable) {
        ChannelProperties.required(value, variable, "channel-whatsapp");
    }
}
