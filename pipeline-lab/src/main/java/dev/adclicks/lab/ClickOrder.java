package dev.adclicks.lab;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The order check: per adId, the clickIds of committed ad-events must come in the order of their
 * first records in ad-clicks.
 *
 * <p>Why it must hold: the producer keys every click by its adId ({@code IdempotentClickPublisher.send})
 * and the relay keys every event by it too ({@code ClickRouter.route}); with the default partitioner
 * all records of an adId sit in one partition of each topic. The relay reads an
 * ad-clicks partition in offset order and writes its events in that order; an aborted batch is
 * read again from the committed offsets, and a fenced zombie commits nothing.
 */
final class ClickOrder {

    private ClickOrder() {
    }

    /**
     * The adIds whose sequences differ. For each adId of {@code events}: keep the first occurrence of
     * each clickId on both sides (a re-sent click, or a duplicate event, repeats one that came
     * earlier), keep only the clickIds both sides hold (losses are the layer counts' business), and
     * compare the two sequences.
     *
     * @param clicks per adId, the clickIds of its ad-clicks records in offset order
     * @param events per adId, the clickIds of its committed ad-events records in offset order
     */
    static Set<String> adsOutOfOrder(Map<String, List<UUID>> clicks, Map<String, List<UUID>> events) {
        Set<String> outOfOrder = new TreeSet<>();
        events.forEach((adId, eventIds) -> {
            Set<UUID> inClicks = new LinkedHashSet<>(clicks.getOrDefault(adId, List.of()));
            Set<UUID> inEvents = new LinkedHashSet<>(eventIds);
            List<UUID> expected = new ArrayList<>(inClicks);
            expected.retainAll(inEvents);
            List<UUID> actual = new ArrayList<>(inEvents);
            actual.retainAll(inClicks);
            if (!expected.equals(actual)) {
                outOfOrder.add(adId);
            }
        });
        return outOfOrder;
    }
}
