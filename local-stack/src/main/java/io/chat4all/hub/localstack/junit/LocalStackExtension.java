package io.chat4all.hub.localstack.junit;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/** The JUnit 5 side of {@link HubStack}: makes sure the engines run and hands out the {@link TestStack}. */
public final class LocalStackExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        HubStack annotation = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), HubStack.class)
                .orElse(null);
        TestStack stack = TestStack.get();
        if (annotation == null) {
            stack.ensure(Set.of());
        } else {
            stack.ensure(Set.copyOf(List.of(annotation.value())));
        }
        stack.publishAsSystemProperties();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return TestStack.get();
    }
}
