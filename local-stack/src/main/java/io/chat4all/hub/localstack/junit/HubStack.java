package io.chat4all.hub.localstack.junit;

import io.chat4all.hub.localstack.engine.EngineKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against real engines. They are started once per test JVM (lazily, only the
 * ones some test asked for) and shared; isolate tests by topic, schema, bucket and index names
 * ({@link TestStack#uniqueName}). Before the class runs, every connection variable the services
 * read ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code POSTGRES_URL}, …) is set as a system property, so a
 * Spring Boot test context connects to the stack without further configuration.
 *
 * <p>With {@code HUB_TEST_ATTACH=true} (or {@code -Dhub.test.attach=true}) the tests use the stack
 * of a running {@code ./hub up} instead (read from {@code .hub/endpoints.json}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LocalStackExtension.class)
public @interface HubStack {

    /** The engines this test class needs. */
    EngineKind[] value() default {EngineKind.POSTGRES, EngineKind.KAFKA, EngineKind.S3, EngineKind.ELASTICSEARCH};
}
