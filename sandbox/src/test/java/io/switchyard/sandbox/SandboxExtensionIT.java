package io.switchyard.sandbox;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs small test classes through the JUnit launcher to check what {@link Sandboxed} does around them: a sandbox that
 * cannot start fails the class (never skips it), and every injection point gets the class's one sandbox, which is
 * closed when the class is done. The inner classes are not run by surefire itself (it skips nested classes).
 */
class SandboxExtensionIT {
    /** Sandboxes seen by the inner classes, by class name; read after the launcher has run them. */
    private static final Map<String, Sandbox> SEEN = new ConcurrentHashMap<>();

    @Test
    void aSandboxThatCannotStartFailsTheTestsInsteadOfSkippingThem() {
        TestExecutionSummary summary = run(BadSpec.class);

        assertEquals(0, summary.getTestsSkippedCount());
        assertEquals(0, summary.getTestsAbortedCount());
        assertEquals(0, summary.getTestsSucceededCount());
        assertEquals(1, summary.getTotalFailureCount());
        Throwable failure = summary.getFailures().get(0).getException();
        assertTrue(failure instanceof IllegalArgumentException, failure.toString());
        assertTrue(failure.getMessage().contains("replica count \"x\" is not a number"), failure.getMessage());
    }

    @Test
    void everyInjectionPointGetsTheClassSandboxWhichClosesAfterTheClass() {
        TestExecutionSummary summary = run(PerClassLifecycle.class);

        assertEquals(0, summary.getTotalFailureCount(), () -> summary.getFailures().toString());
        assertEquals(3, summary.getTestsSucceededCount());
        Sandbox sandbox = SEEN.get(PerClassLifecycle.class.getName());
        assertNotNull(sandbox);
        assertSame(sandbox, SEEN.get(PerClassLifecycle.Inner.class.getName()));
        assertFalse(Files.exists(sandbox.baseDir()), "sandbox not closed after the class: " + sandbox.baseDir());
        assertFalse(sandbox.servers().get(0).isRunning());
    }

    private static TestExecutionSummary run(Class<?> testClass) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(testClass)).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        return listener.getSummary();
    }

    @Sandboxed("commerce:0+x")
    static class BadSpec {
        @Test
        void neverRuns(Sandbox sandbox) {
            throw new AssertionError("ran with " + sandbox);
        }
    }

    @Sandboxed("commerce")
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClassLifecycle {
        private final Sandbox fromConstructor;

        PerClassLifecycle(Sandbox sandbox) {
            this.fromConstructor = sandbox;
            SEEN.put(PerClassLifecycle.class.getName(), sandbox);
        }

        @Test
        void methodGetsTheConstructorSandbox(Sandbox sandbox) {
            assertSame(fromConstructor, sandbox);
            assertEquals(1, sandbox.servers().size());
        }

        @Test
        void serversRun(Sandbox sandbox) {
            Path datadir = sandbox.primary("commerce", "0").datadir();
            assertTrue(Files.isDirectory(datadir));
            assertEquals("1", sandbox.primary("commerce", "0").query("SELECT 1").get(0).get(0));
        }

        @Nested
        class Inner {
            @Test
            void nestedClassSharesTheSandbox(Sandbox sandbox) {
                SEEN.put(Inner.class.getName(), sandbox);
                assertSame(fromConstructor, sandbox);
            }
        }
    }
}
