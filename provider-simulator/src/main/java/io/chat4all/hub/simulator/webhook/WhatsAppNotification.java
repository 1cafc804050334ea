package io.chat4all.hub.simulator.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A WhatsApp Business Account webhook, as the Cloud API POSTs it (snake_case on the wire):
 * {@code {"object":"whatsapp_business_account","entry":[{"id":..,"changes":[{"field":"messages","value":..}]}]}}.
 */
record WhatsAppNotification(String object, List<Entry> entry) {

    static WhatsAppNotification of(String businessAccountId, Value value) {
        return new WhatsAppNotification("whatsapp_business_account",
                List.of(new Entry(businessAccountId, List.of(new Change("messages", value)))));
    }

    record Entry(String id, List<Change> changes) {
    }

    record Change(String field, Value value) {
    }

    /** Carries either {@code contacts} and {@code messages} (inbound) or {@code statuses}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Value(String messagingProduct, Metadata metadata, List<Contact> contacts, List<Message> messages,
                 List<Status> statuses) {

        static Value statuses(Metadata metadata, Status status) {
            return new Value("whatsapp", metadata, null, null, List.of(status));
        }

        static Value inbound(Metadata metadata, Contact contact, Message message) {
            return new Value("whatsapp", metadata, List.of(contact), List.of(message), null);
        }
    }

    record Metadata(String displayPhoneNumber, String phoneNumberId) {
    }

    record Contact(Profile profile, String waId) {
    }

    record Profile(String name) {
    }

    record Message(String from, String id, String timestamp, String type, Text text) {
    }

    record Text(String body) {
    }

    /** A message status; {@code conversation} and {@code pricing} come with sent and delivered, {@code errors} with failed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Status(String id, String status, String timestamp, String recipientId, String bizOpaqueCallbackData,
                  Conversation conversation, Pricing pricing, List<StatusError> errors) {
    }

    record Conversation(String id, Origin origin) {
    }

    record Origin(String type) {
    }

    record Pricing(boolean billable, String pricingModel, String category) {
    }

    record StatusError(int code, String title, String message, ErrorData errorData) {
    }

    record ErrorData(String details) {
    }
}
