package dev.adclicks.producer.clicks;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.adclicks.model.AdClick;

import static org.assertj.core.api.Assertions.assertThat;

class ClickRequestTest {

    private static final Instant OCCURRED_AT = Instant.parse("2026-11-21T10:15:30.123Z");

    @Test
    void clickWithoutClickIdGetsANewTimeOrderedVersion7Uuid() {
        TimeOrderedClickIds clickIds = new TimeOrderedClickIds();
        ClickRequest request = new ClickRequest(null, "ad-1", "campaign-1", "user-1", OCCURRED_AT);

        AdClick first = request.toAdClick(clickIds::next);
        AdClick second = request.toAdClick(clickIds::next);

        assertThat(first.clickId().version()).isEqualTo(7);
        assertThat(first.clickId().variant()).isEqualTo(2);
        assertThat(second.clickId()).isNotEqualTo(first.clickId());
        // time-ordered: a later id sorts after an earlier one (by its leading 48-bit millisecond timestamp)
        assertThat(second.clickId().getMostSignificantBits() >>> 16)
                .isGreaterThanOrEqualTo(first.clickId().getMostSignificantBits() >>> 16);
        assertThat(first.adId()).isEqualTo("ad-1");
        assertThat(first.campaignId()).isEqualTo("campaign-1");
        assertThat(first.userId()).isEqualTo("user-1");
        assertThat(first.occurredAt()).isEqualTo(OCCURRED_AT);
    }

    @Test
    void clientClickIdIsKeptSoARetrySendsTheSameClickId() {
        UUID clientId = UUID.fromString("1b4e28ba-2fa1-41d2-883f-0016d3cca427");
        ClickRequest request = new ClickRequest(clientId, "ad-1", "campaign-1", "user-1", OCCURRED_AT);

        AdClick click = request.toAdClick(() -> {
            throw new AssertionError("no new clickId may be generated when the client sent one");
        });
        AdClick retried = request.toAdClick(UUID::randomUUID);

        assertThat(click).isEqualTo(new AdClick(clientId, "ad-1", "campaign-1", "user-1", OCCURRED_AT));
        assertThat(retried.clickId()).isEqualTo(clientId);
    }
}
