package io.chat4all.hub.simulator.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Matching, counting and defaults of injected faults. */
class FaultsTest {

    private final Faults faults = new Faults();

    @Test
    void shouldFireOnlyTheGivenNumberOfTimesWhenTimesIsSet() {
        // given
        faults.add(new FaultSpec(Channel.WHATSAPP, "5511999990000", FaultKind.RATE_LIMIT, 2, null, null));

        // when / then
        assertThat(faults.fire(Channel.WHATSAPP, "5511999990000")).isPresent();
        assertThat(faults.fire(Channel.WHATSAPP, "5511999990000")).isPresent();
        assertThat(faults.fire(Channel.WHATSAPP, "5511999990000")).isEmpty();
        assertThat(faults.list()).singleElement().satisfies(view -> {
            assertThat(view.remaining()).isZero();
            assertThat(view.fired()).isEqualTo(2);
        });
        assertThat(faults.firedCount()).isEqualTo(2);
    }

    @Test
    void shouldMatchAnyChannelAndRecipientWhenTheyAreNull() {
        // given
        faults.add(new FaultSpec(null, null, FaultKind.SERVER_ERROR, null, null, null));

        // when / then
        assertThat(faults.fire(Channel.INSTAGRAM, "42")).isPresent();
        assertThat(faults.fire(Channel.WHATSAPP, "5511999990000")).isPresent();
        assertThat(faults.list().get(0).remaining()).isNull();
    }

    @Test
    void shouldNotFireWhenChannelOrRecipientDiffer() {
        // given
        faults.add(new FaultSpec(Channel.INSTAGRAM, "42", FaultKind.PERMANENT, null, null, null));

        // when / then
        assertThat(faults.fire(Channel.WHATSAPP, "42")).isEmpty();
        assertThat(faults.fire(Channel.INSTAGRAM, "43")).isEmpty();
        assertThat(faults.fire(Channel.INSTAGRAM, "42")).isPresent();
    }

    @Test
    void shouldFireWithTheGivenProbability() {
        // given
        faults.add(new FaultSpec(null, null, FaultKind.SERVER_ERROR, null, 0.5, null));

        // when
        long fired = IntStream.range(0, 2000).filter(i -> faults.fire(Channel.WHATSAPP, "1").isPresent())
                .count();

        // then: 1000 expected; 5 standard deviations is about 112
        assertThat(fired).isBetween(850L, 1150L);
    }

    @Test
    void shouldDefaultDelaysOfSlowAndTimeout() {
        faults.add(new FaultSpec(null, "a", FaultKind.SLOW, null, null, null));
        faults.add(new FaultSpec(null, "b", FaultKind.TIMEOUT, null, null, null));
        faults.add(new FaultSpec(null, "c", FaultKind.SLOW, null, null, 250L));

        assertThat(faults.fire(Channel.WHATSAPP, "a")).hasValueSatisfying(f -> assertThat(f.delay()).isEqualTo(Duration.ofSeconds(5)));
        assertThat(faults.fire(Channel.WHATSAPP, "b")).hasValueSatisfying(f -> assertThat(f.delay()).isEqualTo(Duration.ofSeconds(60)));
        assertThat(faults.fire(Channel.WHATSAPP, "c")).hasValueSatisfying(f -> assertThat(f.delay()).isEqualTo(Duration.ofMillis(250)));
    }

    @Test
    void shouldRefuseInvalidSpecs() {
        assertThatThrownBy(() -> faults.add(new FaultSpec(null, null, null, null, null, null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.add(new FaultSpec(null, null, FaultKind.SLOW, 0, null, null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.add(new FaultSpec(null, null, FaultKind.SLOW, null, 1.5, null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.add(new FaultSpec(null, null, FaultKind.SLOW, null, null, -1L)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRemoveOneFaultById() {
        String id = faults.add(new FaultSpec(null, null, FaultKind.SLOW, null, null, null));

        assertThat(faults.remove(id)).isTrue();
        assertThat(faults.remove(id)).isFalse();
        assertThat(faults.list()).isEmpty();
    }
}
