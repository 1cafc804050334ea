package io.chat4all.hub.simulator.webhook;

/**
 * One WhatsApp message status to send as a webhook (also the body of {@code POST /_sim/whatsapp/status}).
 *
 * @param wamid                 the message it is about
 * @param status                {@code sent}, {@code delivered}, {@code read} or {@code failed}
 * @param recipientId           the customer's phone number
 * @param phoneNumberId         the business phone number id
 * @param bizOpaqueCallbackData echoed when given
 * @param timestamp             epoch seconds; null for now (set it to send an out-of-date status)
 * @param errorCode             for {@code failed}: the error code, default 131026
 * @param errorTitle            for {@code failed}: its title, default "Message undeliverable."
 */
public record StatusUpdate(String wamid, String status, String recipientId, String phoneNumberId,
                           String bizOpaqueCallbackData, Long timestamp, Integer errorCode, String errorTitle) {

    static StatusUpdate of(String wamid, String status, String recipientId, String phoneNumberId,
                           String bizOpaqueCallbackData) {
        return new StatusUpdate(wamid, status, recipientId, phoneNumberId, bizOpaqueCallbackData, null, null, null);
    }
}
