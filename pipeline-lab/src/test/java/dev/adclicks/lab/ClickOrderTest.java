package dev.adclicks.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The order check on hand-made sequences: what it must pass and what it must flag. */
class ClickOrderTest {

    private static final UUID A = UUID.randomUUID();
    private static final UUID B = UUID.randomUUID();
    private static final UUID C = UUID.randomUUID();

    @Test
    void eventsInTheOrderOfTheirClicksPass() {
        assertThat(ClickOrder.adsOutOfOrder(Map.of("ad-1", List.of(A, B, C)), Map.of("ad-1", List.of(A, B, C))))
                .isEmpty();
    }

    @Test
    void eventsOfOneAdInAnotherOrderAreFlagged() {
        assertThat(ClickOrder.adsOutOfOrder(
                Map.of("ad-1", List.of(A, B, C), "ad-2", List.of(A, B)),
                Map.of("ad-1", List.of(A, C, B), "ad-2", List.of(A, B))))
                .containsExactly("ad-1");
    }

    @Test
    void repeatedClickIdsAreComparedByTheirFirstOccurrence() {
        // a click re-sent after its 202, relayed again in its new place, and an event written twice
        assertThat(ClickOrder.adsOutOfOrder(Map.of("ad-1", List.of(A, B, A, C)),
                Map.of("ad-1", List.of(A, B, A, C, C)))).isEmpty();
        // the first event of A comes after B's although A's first click came first
        assertThat(ClickOrder.adsOutOfOrder(Map.of("ad-1", List.of(A, B, A)), Map.of("ad-1", List.of(B, A, A))))
                .containsExactly("ad-1");
    }

    @Test
    void clickIdsOnOneSideOnlyAreLeftToTheLayerCounts() {
        // B lost on the way, D with no click: the rest is in order
        UUID d = UUID.randomUUID();
        assertThat(ClickOrder.adsOutOfOrder(Map.of("ad-1", List.of(A, B, C)), Map.of("ad-1", List.of(d, A, C))))
                .isEmpty();
        // events of an adId that has no clicks at all have nothing to be out of order with
        assertThat(ClickOrder.adsOutOfOrder(Map.of(), Map.of("ad-1", List.of(A, B)))).isEmpty();
    }
}
