package dev.adclicks.relay.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.adclicks.model.AdClick;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.ClickBounds;
import dev.adclicks.model.RejectionReason;
import dev.adclicks.relay.processing.ClickProcessor.Outcome;

class ClickProcessorTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private final ClickProcessor processor = new ClickProcessor(
            new PricingProperties(Map.of("summer-sale", 120_000L)),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void pricesAValidClickFromTheCampaignTable() {
        AdClick click = click("summer-sale", "user-1", NOW.minusSeconds(3));

        Outcome outcome = processor.process(click);

        assertThat(outcome).isInstanceOf(Outcome.Priced.class);
        AdEvent event = ((Outcome.Priced) outcome).event();
        assertThat(event.clickId()).isEqualTo(click.clickId());
        assertThat(event.adId()).isEqualTo("ad-1");
        assertThat(event.campaignId()).isEqualTo("summer-sale");
        assertThat(event.userId()).isEqualTo("user-1");
        assertThat(event.occurredAt()).isEqualTo(click.occurredAt());
        assertThat(event.costMicros()).isEqualTo(120_000L);
        assertThat(event.relayedAt()).isEqualTo(NOW);
    }

    @Test
    void rejectsAClickOfACampaignWithoutAPrice() {
        assertThat(reasonFor(click("unknown", "user-1", NOW))).isEqualTo(RejectionReason.UNKNOWN_CAMPAIGN);
    }

    @Test
    void rejectsAClickWithAMissingField() {
        assertThat(reasonFor(click("summer-sale", null, NOW))).isEqualTo(RejectionReason.MISSING_FIELD);
        assertThat(reasonFor(click("summer-sale", " ", NOW))).isEqualTo(RejectionReason.MISSING_FIELD);
        assertThat(reasonFor(click("summer-sale", "user-1", null))).isEqualTo(RejectionReason.MISSING_FIELD);
        assertThat(reasonFor(new AdClick(null, "ad-1", "summer-sale", "user-1", NOW)))
                .isEqualTo(RejectionReason.MISSING_FIELD);
    }

    @Test
    void rejectsAFieldLongerThanTheSinkColumn() {
        assertThat(reasonFor(click("summer-sale", "u".repeat(AdClick.MAX_ID_LENGTH + 1), NOW)))
                .isEqualTo(RejectionReason.FIELD_TOO_LONG);
        assertThat(processor.process(click("summer-sale", "u".repeat(AdClick.MAX_ID_LENGTH), NOW)))
                .isInstanceOf(Outcome.Priced.class);
    }

    @Test
    void rejectsAnIdWithAControlCharacter() {
        assertThat(reasonFor(click("summer-sale", "user\r\n1", NOW))).isEqualTo(RejectionReason.INVALID_CHARACTER);
    }

    @Test
    void rejectsAClickFromTooFarInTheFutureButToleratesClockSkew() {
        assertThat(reasonFor(click("summer-sale", "user-1", NOW.plus(ClickBounds.MAX_AHEAD).plusSeconds(1))))
                .isEqualTo(RejectionReason.OCCURRED_IN_FUTURE);
        assertThat(processor.process(click("summer-sale", "user-1", NOW.plus(ClickBounds.MAX_AHEAD))))
                .isInstanceOf(Outcome.Priced.class);
    }

    @Test
    void rejectsAClickOlderThanTheDaysStillOpenForBilling() {
        assertThat(reasonFor(click("summer-sale", "user-1", NOW.minus(ClickBounds.MAX_AGE).minusSeconds(1))))
                .isEqualTo(RejectionReason.OCCURRED_TOO_LONG_AGO);
        assertThat(reasonFor(click("summer-sale", "user-1", Instant.EPOCH)))
                .isEqualTo(RejectionReason.OCCURRED_TOO_LONG_AGO);
        assertThat(processor.process(click("summer-sale", "user-1", NOW.minus(ClickBounds.MAX_AGE))))
                .isInstanceOf(Outcome.Priced.class);
    }

    private RejectionReason reasonFor(AdClick click) {
        Outcome outcome = processor.process(click);
        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        Outcome.Rejected rejected = (Outcome.Rejected) outcome;
        assertThat(rejected.rejection().click()).isEqualTo(click);
        assertThat(rejected.rejection().detail()).isNotBlank();
        return rejected.rejection().reason();
    }

    private static AdClick click(String campaignId, String userId, Instant occurredAt) {
        return new AdClick(UUID.randomUUID(), "ad-1", campaignId, userId, occurredAt);
    }
}
