package dev.adclicks.delivery;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DeliverySemanticsTest {

    @Test
    void readsTheProfileSpellingTheEnumSpellingAndDefaultsToExactlyOnce() {
        assertThat(DeliverySemantics.parse("at-least-once")).isEqualTo(DeliverySemantics.AT_LEAST_ONCE);
        assertThat(DeliverySemantics.parse("AT_MOST_ONCE")).isEqualTo(DeliverySemantics.AT_MOST_ONCE);
        assertThat(DeliverySemantics.parse(" Exactly-Once ")).isEqualTo(DeliverySemantics.EXACTLY_ONCE);
        assertThat(DeliverySemantics.parse(null)).isEqualTo(DeliverySemantics.EXACTLY_ONCE);
        assertThat(DeliverySemantics.parse("")).isEqualTo(DeliverySemantics.EXACTLY_ONCE);
    }

    @Test
    void anUnknownValueIsAnErrorNotASilentDefault() {
        assertThatIllegalArgumentException().isThrownBy(() -> DeliverySemantics.parse("twice"))
                .withMessageContaining("at-least-once");
    }

    @Test
    void profileNamesAndStartupMessages() {
        assertThat(DeliverySemantics.AT_LEAST_ONCE.profileName()).isEqualTo("at-least-once");
        assertThat(DeliverySemantics.AT_LEAST_ONCE.startupMessage())
                .isEqualTo("delivery semantics: AT_LEAST_ONCE (comparison mode: duplicates expected under faults)");
        assertThat(DeliverySemantics.AT_MOST_ONCE.isComparisonMode()).isTrue();
        assertThat(DeliverySemantics.EXACTLY_ONCE.isComparisonMode()).isFalse();
    }
}
