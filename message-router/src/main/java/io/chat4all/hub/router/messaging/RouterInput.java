package io.chat4all.hub.router.messaging;

import io.chat4all.hub.contracts.events.ConversationChanged;
import io.chat4all.hub.contracts.events.MessageAccepted;

/** What the conversation processor reads: both input topics, keyed by conversation id, merged. */
sealed interface RouterInput {

    record Message(MessageAccepted event) implements RouterInput {
    }

    record MembershipChange(ConversationChanged event) implements RouterInput {
    }
}
