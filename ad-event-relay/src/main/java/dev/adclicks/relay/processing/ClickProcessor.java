package dev.adclicks.relay.processing;

import java.time.Clock;
import java.time.Instant;

import org.springframework.stereotype.Component;

import dev.adclicks.model.AdClick;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.RejectedClick;
import dev.adclicks.model.RejectionReason;

/**
 * The "process" of read-process-write: validate a click and price it. Pure and deterministic
 * apart from the clock, so a batch reprocessed after an abort yields the same events (bar
 * relayedAt).
 */
@Component
public class ClickProcessor {

    private final PricingProperties pricing;
    private final Clock clock;

    public ClickProcessor(PricingProperties pricing, Clock clock) {
        this.pricing = pricing;
        this.clock = clock;
    }

    public Outcome process(AdClick click) {
        Instant now = clock.instant();
        String missing = firstMissingField(click);
        if (missing != null) {
            return reject(click, RejectionReason.MISSING_FIELD, missing + " is missing", now);
        }
        String tooLong = firstTooLongField(click);
        if (tooLong != null) {
            return reject(click, RejectionReason.FIELD_TOO_LONG,
                    tooLong + " is longer than " + AdClick.MAX_ID_LENGTH + " characters", now);
        }
        Long priceMicros = pricing.campaignPricesMicros().get(click.campaignId());
        if (priceMicros == null) {
            return reject(click, RejectionReason.UNKNOWN_CAMPAIGN,
                    "campaign '" + click.campaignId() + "' has no price", now);
        }
        if (click.occurredAt().isAfter(now.plus(pricing.maxClockSkew()))) {
            return reject(click, RejectionReason.OCCURRED_IN_FUTURE,
                    "occurredAt " + click.occurredAt() + " is more than " + pricing.maxClockSkew() + " ahead", now);
        }
        return new Outcome.Priced(new AdEvent(click.clickId(), click.adId(), click.campaignId(), click.userId(),
                click.occurredAt(), priceMicros, now));
    }

    private static String firstMissingField(AdClick click) {
        if (click.clickId() == null) {
            return "clickId";
        }
        if (isBlank(click.adId())) {
            return "adId";
        }
        if (isBlank(click.campaignId())) {
            return "campaignId";
        }
        if (isBlank(click.userId())) {
            return "userId";
        }
        return click.occurredAt() == null ? "occurredAt" : null;
    }

    private static String firstTooLongField(AdClick click) {
        if (click.adId().length() > AdClick.MAX_ID_LENGTH) {
            return "adId";
        }
        if (click.campaignId().length() > AdClick.MAX_ID_LENGTH) {
            return "campaignId";
        }
        return click.userId().length() > AdClick.MAX_ID_LENGTH ? "userId" : null;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static Outcome reject(AdClick click, RejectionReason reason, String detail, Instant now) {
        return new Outcome.Rejected(new RejectedClick(click, reason, detail, now));
    }

    /** What became of one click: an event to relay, or a rejection to record. */
    public sealed interface Outcome {

        record Priced(AdEvent event) implements Outcome {
        }

        record Rejected(RejectedClick rejection) implements Outcome {
        }
    }
}
