package io.switchyard.sandbox;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a JUnit 5 test class one {@link Sandbox}, started before its first test and closed after its last:
 * <pre>{@code
 * @Sandboxed("commerce:0+1; customer:-80+1,80-+1; topology")
 * class MoveTablesIT {
 *     @Test
 *     void copiesRows(Sandbox sandbox) {
 *         sandbox.primary("commerce", "0").execute("CREATE TABLE commerce.t (id INT PRIMARY KEY)");
 *     }
 * }
 * }</pre>
 * A {@link Sandbox} parameter is injected into constructors, test methods and lifecycle methods ({@code @BeforeAll},
 * {@code @BeforeEach}, ...). {@code @Nested} classes share their enclosing class's sandbox unless they carry their own
 * {@code @Sandboxed}. If MariaDB is missing or a server does not start, the tests fail (they are not skipped) with a
 * message saying what to do.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SandboxExtension.class)
public @interface Sandboxed {
    /** The sandbox, in {@link SandboxSpec#parse(String) compact form}. */
    String value();
}
