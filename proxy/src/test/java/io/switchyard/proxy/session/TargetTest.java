package io.switchyard.proxy.session;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetTest {
    @Test
    void parsesTheVitessForms() {
        assertEquals(new Target("commerce", Optional.empty(), TabletType.PRIMARY), Target.parse("commerce"));
        assertEquals(new Target("commerce", Optional.empty(), TabletType.REPLICA), Target.parse("commerce@replica"));
        assertEquals(new Target("customer", Optional.of("-80"), TabletType.PRIMARY),
                Target.parse("customer:-80@primary"));
        assertEquals(new Target("customer", Optional.of("80-"), TabletType.REPLICA), Target.parse("`customer:80-@replica`"));
        assertEquals(TabletType.PRIMARY, Target.parse("commerce@master").tabletType());
    }

    @Test
    void rendersBackToTheCanonicalForm() {
        assertEquals("customer:-80@replica", Target.parse("customer:-80@REPLICA").toString());
        assertEquals("commerce@primary", Target.parse("commerce").toString());
    }

    @Test
    void rejectsMalformedNamesWithAHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Target.parse("commerce@rdwr"));
        assertTrue(e.getMessage().contains("use @primary or @replica"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Target.parse("@replica"));
        assertThrows(IllegalArgumentException.class, () -> Target.parse("customer:@primary"));
    }
}
