package dev.adclicks.model;

import java.time.Instant;

/** A click the relay refused, with the reason; the value of {@link Topics#AD_CLICKS_REJECTED} records. */
public record RejectedClick(AdClick click, RejectionReason reason, String detail, Instant rejectedAt) {
}
