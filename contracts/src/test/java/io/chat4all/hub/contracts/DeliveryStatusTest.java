package io.chat4all.hub.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.contracts.events.DeliveryStatus;
import org.junit.jupiter.api.Test;

class DeliveryStatusTest {

    @Test
    void shouldOnlyMoveForward() {
        assertThat(DeliveryStatus.ACCEPTED.canAdvanceTo(DeliveryStatus.IN_TRANSIT)).isTrue();
        assertThat(DeliveryStatus.SENT.canAdvanceTo(DeliveryStatus.READ)).as("a channel may skip delivered").isTrue();
        assertThat(DeliveryStatus.DELIVERED.canAdvanceTo(DeliveryStatus.SENT)).isFalse();
        assertThat(DeliveryStatus.READ.canAdvanceTo(DeliveryStatus.DELIVERED)).isFalse();
        assertThat(DeliveryStatus.SENT.canAdvanceTo(DeliveryStatus.SENT)).as("duplicates change nothing").isFalse();
    }

    @Test
    void shouldNeverLeaveTerminalStatuses() {
        for (DeliveryStatus next : DeliveryStatus.values()) {
            assertThat(DeliveryStatus.READ.canAdvanceTo(next)).isFalse();
            assertThat(DeliveryStatus.FAILED.canAdvanceTo(next)).isFalse();
        }
        assertThat(DeliveryStatus.SENT.canAdvanceTo(DeliveryStatus.FAILED)).isTrue();
    }
}
