package dev.adclicks.relay.processing;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Component;

import dev.adclicks.model.AdClick;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.ClickBounds;
import dev.adclicks.model.RejectedClick;
import dev.adclicks.model.RejectionReason;

/**
 * The "process" of read-process-write: check a click against {@link ClickBounds} (the same rules
 * the producer applies at the HTTP edge: records can reach ad-clicks without it) and price it. Pure and deterministic
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
        List<ClickBounds.Violation> violations = ClickBounds.violations(click, now);
        if (!violations.isEmpty()) {
            ClickBounds.Violation first = violations.get(0);
            return reject(click, first.reason(), first.toString(), now);
        }
        Long priceMicros = pricing.campaignPricesMicros().get(click.campaignId());
        if (priceMicros == null) {
            return reject(click, RejectionReason.UNKNOWN_CAMPAIGN,
                    "campaign '" + click.campaignId() + "' has no price", now);
        }
        return new Outcome.Priced(new AdEvent(click.clickId(), click.adId(), click.campaignId(), click.userId(),
                click.occurredAt(), priceMicros, now));
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
