package io.switchyard.sandbox;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.Optional;

/**
 * The JUnit 5 extension behind {@link Sandboxed}: one sandbox per annotated test class, kept in that class's
 * {@link ExtensionContext.Store} so JUnit closes it when the class is done, and resolved as a {@link Sandbox}
 * parameter.
 *
 * <p>The sandbox starts in {@code beforeAll}, or earlier if a constructor asks for it (with
 * {@code @TestInstance(PER_CLASS)} the instance is created before {@code beforeAll} callbacks run). Lookups go up the
 * context tree, so a {@code @Nested} class without its own annotation finds its enclosing class's sandbox.
 */
public final class SandboxExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SandboxExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        sandbox(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Sandbox.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return sandbox(extensionContext);
    }

    private static Sandbox sandbox(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        Class<?> annotated = annotatedClass(classContext.getRequiredTestClass()).orElseThrow(() ->
                new ExtensionConfigurationException(classContext.getRequiredTestClass().getName()
                        + " uses SandboxExtension without @Sandboxed(\"spec\") on it or an enclosing class"));
        String spec = annotated.getAnnotation(Sandboxed.class).value();
        // Keyed by the annotated class: a @Nested class finds its enclosing class's entry in a parent store and
        // reuses it; one that carries its own @Sandboxed gets its own sandbox, closed with it.
        Resource resource = classContext.getStore(NAMESPACE).getOrComputeIfAbsent(annotated,
                key -> new Resource(Sandbox.start(SandboxSpec.parse(spec))), Resource.class);
        return resource.sandbox;
    }

    /** The context of the innermost test class around {@code context} (which may be a method's context). */
    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    private static Optional<Class<?>> annotatedClass(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            if (c.isAnnotationPresent(Sandboxed.class)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Lets JUnit close the sandbox when the class context that owns it closes. */
    private static final class Resource implements ExtensionContext.Store.CloseableResource {
        private final Sandbox sandbox;

        Resource(Sandbox sandbox) {
            this.sandbox = sandbox;
        }

        @Override
        public void close() {
            sandbox.close();
        }
    }
}
