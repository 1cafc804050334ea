package io.chat4all.hub.simulator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The record logs stay bounded and keep their sequence numbers growing. */
class BoundedLogTest {

    @Test
    void shouldDropTheOldestRecordWhenFull() {
        // given
        BoundedLog<String> log = new BoundedLog<>(3);

        // when
        for (int i = 0; i < 5; i++) {
            log.append(seq -> "record-" + seq);
        }

        // then
        assertThat(log.select(r -> true)).containsExactly("record-3", "record-4", "record-5");
        assertThat(log.size()).isEqualTo(3);
    }

    @Test
    void shouldKeepNumberingAfterClearWhenNewRecordsArrive() {
        // given
        BoundedLog<Long> log = new BoundedLog<>(10);
        log.append(seq -> seq);
        log.append(seq -> seq);

        // when
        log.clear();
        log.append(seq -> seq);

        // then
        assertThat(log.select(r -> true)).containsExactly(3L);
    }
}
