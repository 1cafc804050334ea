package io.chat4all.hub.gateway.messages;

import io.chat4all.hub.contracts.events.InboundChannelMessage;
import io.chat4all.hub.gateway.core.ApiException;
import io.chat4all.hub.gateway.users.ContactDirectory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Customers' messages from the channel adapters become ordinary hub messages from the contact to
 * the business user, accepted like any {@code POST /v1/messages}. The message id is derived from
 * the provider's id, so a webhook Meta sends again (or a redelivered record) is the same message,
 * accepted once. Inbound messages stay inside the hub: they are not sent back out on a channel.
 */
@Component
class InboundChannelMessages {

    private static final Logger log = LoggerFactory.getLogger(InboundChannelMessages.class);

    private final ContactDirectory contacts;
    private final MessageAcceptance acceptance;

    InboundChannelMessages(ContactDirectory contacts, MessageAcceptance acceptance) {
        this.contacts = contacts;
        this.acceptance = acceptance;
    }

    @KafkaListener(id = "gateway-inbound", topics = {
            "#{T(io.chat4all.hub.contracts.kafka.Topics).WHATSAPP_INBOUND.name()}",
            "#{T(io.chat4all.hub.contracts.kafka.Topics).INSTAGRAM_INBOUND.name()}"},
            containerFactory = "inboundListenerFactory")
    void onInbound(InboundChannelMessage message) {
        ContactDirectory.Thread thread = contacts.resolve(message.channel(), message.toAddress(), message.fromAddress(),
                message.contactName()).orElseThrow(() -> new UndeliverableInboundException("no hub user has "
                        + message.channel().wireName() + " address " + message.toAddress() + "; inbound message "
                        + message.providerMessageId() + " from " + message.fromAddress() + " cannot be delivered "
                        + "(create the business user with that address, then replay the dead letter)", null));
        UUID messageId = UUID.nameUUIDFromBytes(("inbound:" + message.channel().wireName() + ":"
                + message.providerMessageId()).getBytes(StandardCharsets.UTF_8));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("channel", message.channel().wireName());
        metadata.put("provider_message_id", message.providerMessageId());
        metadata.put("contact_address", message.fromAddress());
        metadata.put("sent_at", message.sentAt().toString());
        try {
            acceptance.accept(new MessageRequest(messageId, thread.conversationId(), thread.contactId(),
                    message.payload(), List.of(), metadata)).block(Duration.ofSeconds(30));
        } catch (ApiException refused) {
            if (refused.status().is5xxServerError()) {
                throw refused;
            }
            throw new UndeliverableInboundException("inbound message " + message.providerMessageId() + " refused: "
                    + refused.getMessage(), refused);
        }
        log.debug("inbound {} message {} from {} accepted as {}", message.channel().wireName(),
                message.providerMessageId(), message.fromAddress(), messageId);
    }
}
