package dev.adclicks.model;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ClickBoundsTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void aClickWithinEveryBoundHasNoViolation() {
        String longest = "é".repeat(AdClick.MAX_ID_LENGTH);
        assertThat(ClickBounds.violations(click(longest, "campaign-1", "user-1", NOW), NOW)).isEmpty();
        assertThat(ClickBounds.violations(click("ad-1", "c", "u", NOW.plus(ClickBounds.MAX_AHEAD)), NOW)).isEmpty();
        assertThat(ClickBounds.violations(click("ad-1", "c", "u", NOW.minus(ClickBounds.MAX_AGE)), NOW)).isEmpty();
    }

    @Test
    void missingFieldsAreNamed() {
        assertThat(ClickBounds.violations(new AdClick(null, " ", null, "", null), NOW))
                .extracting(ClickBounds.Violation::field, ClickBounds.Violation::reason)
                .containsExactly(
                        tuple("clickId", RejectionReason.MISSING_FIELD),
                        tuple("adId", RejectionReason.MISSING_FIELD),
                        tuple("campaignId", RejectionReason.MISSING_FIELD),
                        tuple("userId", RejectionReason.MISSING_FIELD),
                        tuple("occurredAt", RejectionReason.MISSING_FIELD));
    }

    @Test
    void anIdLongerThanTheSinkColumnIsRejectedCountingCharactersNotBytes() {
        assertThat(ClickBounds.violations(click("a".repeat(AdClick.MAX_ID_LENGTH + 1), "c", "u", NOW), NOW))
                .singleElement().satisfies(v -> {
                    assertThat(v.field()).isEqualTo("adId");
                    assertThat(v.reason()).isEqualTo(RejectionReason.FIELD_TOO_LONG);
                    assertThat(v.message()).isEqualTo("must be at most 64 characters");
                });
    }

    @Test
    void anIdWithAControlCharacterIsRejected() {
        assertThat(ClickBounds.violations(click("ad-1", "c", "user\n1", NOW), NOW)).singleElement()
                .satisfies(v -> {
                    assertThat(v.field()).isEqualTo("userId");
                    assertThat(v.reason()).isEqualTo(RejectionReason.INVALID_CHARACTER);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\t", "\u001f", "\u007f", "\u0085", "\u009f"})
    void everyControlCharacterIsRejectedWhereverItIs(String control) {
        for (String id : new String[] {control + "ad", "a" + control + "d", "ad" + control, "\uD83D\uDE00" + control}) {
            assertThat(ClickBounds.violations(click(id, "c", "u", NOW), NOW)).as(id).singleElement()
                    .extracting(ClickBounds.Violation::reason).isEqualTo(RejectionReason.INVALID_CHARACTER);
        }
    }

    @Test
    void lettersBeyondTheBasicPlaneAndTheCharactersAroundTheControlRangesAreAccepted() {
        assertThat(ClickBounds.violations(click("ad-\uD83D\uDE00-\u00a0-\u007e- -\u0100", "c", "u", NOW), NOW)).isEmpty();
    }

    @Test
    void occurredAtIsBoundedInTheFutureByClockSkewAndInThePastByTheClosedDays() {
        Instant tooFarAhead = NOW.plus(ClickBounds.MAX_AHEAD).plusSeconds(1);
        Instant tooOld = NOW.minus(ClickBounds.MAX_AGE).minusSeconds(1);
        assertThat(ClickBounds.violations(click("ad-1", "c", "u", tooFarAhead), NOW)).singleElement()
                .extracting(ClickBounds.Violation::reason).isEqualTo(RejectionReason.OCCURRED_IN_FUTURE);
        assertThat(ClickBounds.violations(click("ad-1", "c", "u", tooOld), NOW)).singleElement()
                .satisfies(v -> {
                    assertThat(v.reason()).isEqualTo(RejectionReason.OCCURRED_TOO_LONG_AGO);
                    assertThat(v.toString()).startsWith("occurredAt must not be more than 7 days in the past");
                });
        assertThat(ClickBounds.violations(click("ad-1", "c", "u", Instant.EPOCH), NOW)).singleElement()
                .extracting(ClickBounds.Violation::reason).isEqualTo(RejectionReason.OCCURRED_TOO_LONG_AGO);
        assertThat(ClickBounds.MAX_AGE).isEqualTo(Duration.ofDays(7));
    }

    private static AdClick click(String adId, String campaignId, String userId, Instant occurredAt) {
        return new AdClick(UUID.randomUUID(), adId, campaignId, userId, occurredAt);
    }
}
