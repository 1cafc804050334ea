package io.chat4all.hub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real JFR recording of known work, summarised. */
class ProfilerTest {

    @Test
    void attributesSamplesToTheCodeThatBurnedTheCpu(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("work.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            double sink = 0;
            while (System.nanoTime() < end) {
                sink += burn();
            }
            recording.stop();
            recording.dump(file);
            assertThat(sink).isNotNaN();
        }
        Map<String, Object> summary = Profiler.summarise(file);
        assertThat((Long) summary.get("samples")).isGreaterThanOrEqualTo(10);
        @SuppressWarnings("unchecked")
        Map<String, Double> methods = (Map<String, Double>) summary.get("hottest_methods_pct");
        assertThat(methods.keySet().iterator().next()).isIn(ProfilerTest.class.getName() + ".burn",
                "java.lang.StrictMath.sin", "java.lang.Math.sin", "java.lang.StrictMath.cos");
        @SuppressWarnings("unchecked")
        Map<String, Double> libraries = (Map<String, Double>) summary.get("by_library_pct");
        assertThat(libraries.keySet().iterator().next()).isEqualTo("Hub code");
        assertThat(libraries.values().iterator().next()).isGreaterThan(50.0);
    }

    private static double burn() {
        double x = 0;
        for (int i = 0; i < 10_000; i++) {
            x += Math.sin(i) * Math.cos(x);
        }
        return x;
    }
}
