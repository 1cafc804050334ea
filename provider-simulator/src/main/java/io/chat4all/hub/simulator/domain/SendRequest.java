package io.chat4all.hub.simulator.domain;

/** A send request that passed the provider's validation. */
public interface SendRequest {

    /** Phone number (WhatsApp) or IGSID (Instagram) the message goes to. */
    String recipient();
}
