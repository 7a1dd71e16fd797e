package dev.adclicks.producer.clicks;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What became of a batch: the clicks the broker acknowledged, in request order, and the clickIds of
 * the others, which the client may send again unchanged.
 *
 * @param failuresByReason how many clicks failed per {@link FailureReason#tag()}
 */
public record BatchOutcome(List<PublishedClick> accepted, List<UUID> failedClickIds,
        Map<String, Integer> failuresByReason) {

    public boolean fullyAcknowledged() {
        return failedClickIds.isEmpty();
    }
}
