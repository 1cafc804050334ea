package io.chat4all.hub.simulator.domain;

import tools.jackson.databind.JsonNode;

/**
 * A send request the simulator received, and how it answered.
 *
 * @param seq                   position in the log, growing
 * @param path                  request path
 * @param receivedAt            RFC 3339 with milliseconds
 * @param recipient             phone number or IGSID named in the body, null when it names none
 * @param body                  the body as received: JSON, or a JSON string when it was not valid JSON
 * @param status                HTTP status answered; null when no answer was given ({@code timeout})
 * @param providerMessageId     wamid or mid of an accepted send, else null
 * @param fault                 the fault that fired on it, else null
 * @param authorizationPresent  whether the request carried an {@code Authorization} header
 */
public record RecordedRequest(long seq, Channel channel, String path, String receivedAt, String recipient,
                              JsonNode body, Integer status, String providerMessageId, FaultKind fault,
                              boolean authorizationPresent) {
}
