package dev.adclicks.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A validated, priced click as written by {@code ad-event-relay} to {@link Topics#AD_EVENTS}
 * and stored by {@code ad-event-sink}.
 */
public record AdEvent(UUID clickId, String adId, String campaignId, String userId, Instant occurredAt,
        long costMicros, Instant relayedAt) {
}
