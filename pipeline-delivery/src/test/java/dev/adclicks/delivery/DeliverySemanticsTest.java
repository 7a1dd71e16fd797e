package dev.adclicks.delivery;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class DeliverySemanticsTest {

    @Test
    void theActiveProfileSelectsAWeakerModeAndNoProfileIsExactlyOnce() {
        assertThat(DeliverySemantics.active(withProfiles("at-least-once"))).isEqualTo(DeliverySemantics.AT_LEAST_ONCE);
        assertThat(DeliverySemantics.active(withProfiles("at-most-once", "local"))).isEqualTo(DeliverySemantics.AT_MOST_ONCE);
        assertThat(DeliverySemantics.active(withProfiles())).isEqualTo(DeliverySemantics.EXACTLY_ONCE);
        assertThat(DeliverySemantics.active(withProfiles("local"))).isEqualTo(DeliverySemantics.EXACTLY_ONCE);
    }

    @Test
    void bothWeakerProfilesAtOnceIsAnErrorNotASilentChoice() {
        assertThatIllegalStateException()
                .isThrownBy(() -> DeliverySemantics.active(withProfiles("at-least-once", "at-most-once")))
                .withMessageContaining("pick one");
    }

    @Test
    void profileNamesAndStartupMessages() {
        assertThat(DeliverySemantics.AT_LEAST_ONCE.profileName()).isEqualTo("at-least-once");
        assertThat(DeliverySemantics.AT_LEAST_ONCE.startupMessage())
                .isEqualTo("delivery semantics: AT_LEAST_ONCE (comparison mode: duplicates expected under faults)");
        assertThat(DeliverySemantics.AT_MOST_ONCE.isComparisonMode()).isTrue();
        assertThat(DeliverySemantics.EXACTLY_ONCE.isComparisonMode()).isFalse();
    }

    private static MockEnvironment withProfiles(String... profiles) {
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles(profiles);
        return environment;
    }
}
