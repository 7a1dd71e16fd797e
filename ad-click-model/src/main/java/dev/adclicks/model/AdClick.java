package dev.adclicks.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A click as accepted by {@code ad-click-producer} and written to {@link Topics#AD_CLICKS}.
 *
 * <p>{@code clickId} is the identity of the click across the whole pipeline: the sink
 * stores and counts each clickId once (it skips clickIds already stored; UNIQUE(click_id) is the
 * backstop), which is what makes a redelivered or re-sent click count once.
 */
public record AdClick(UUID clickId, String adId, String campaignId, String userId, Instant occurredAt) {

    /** Longest adId, campaignId and userId accepted anywhere in the pipeline, in characters: the sink's column width. */
    public static final int MAX_ID_LENGTH = 64;
}
