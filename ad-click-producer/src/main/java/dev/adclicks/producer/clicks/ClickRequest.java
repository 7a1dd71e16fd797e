package dev.adclicks.producer.clicks;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

import dev.adclicks.model.AdClick;

/**
 * One click as posted by a client. A {@code clickId} that is not a UUID never gets here: JSON
 * binding rejects it (400). The fields' bounds are checked on the click it becomes
 * ({@link ClickValidator}, with the pipeline's one rule set {@link dev.adclicks.model.ClickBounds}).
 *
 * @param clickId optional; a client that may retry should send its own, see {@link #toAdClick}
 */
public record ClickRequest(
        UUID clickId,
        String adId,
        String campaignId,
        String userId,
        Instant occurredAt) {

    /**
     * The click to publish: the client's clickId when it sent one, otherwise a new one.
     *
     * <p>A client that retries after a 503 or a lost response sends the same clickId again, and the
     * same clickId goes to Kafka again. Nothing here remembers which clickIds were already sent: the
     * possible duplicate record is discarded downstream: the sink skips clickIds already stored,
     * with UNIQUE(click_id) as the backstop.
     */
    AdClick toAdClick(Supplier<UUID> newClickId) {
        UUID id = clickId != null ? clickId : newClickId.get();
        return new AdClick(id, adId, campaignId, userId, occurredAt);
    }
}
