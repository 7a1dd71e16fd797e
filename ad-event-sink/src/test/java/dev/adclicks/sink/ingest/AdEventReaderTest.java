package dev.adclicks.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.adclicks.model.AdClick;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.PipelineJson;
import tools.jackson.core.JacksonException;

class AdEventReaderTest {

    private final AdEventReader reader = new AdEventReader();

    @Test
    void readsAnEventWrittenWithThePipelineFormat() {
        AdEvent event = event("ad-1", "campaign-1", "user-1");

        assertThat(reader.read(PipelineJson.write(event))).isEqualTo(event);
    }

    @Test
    void bytesThatAreNotJsonAreUnreadableWithTheJacksonErrorAsCause() {
        assertThatThrownBy(() -> reader.read("not json {".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableEventException.class)
                .hasCauseInstanceOf(JacksonException.class);
    }

    @Test
    void aMissingValueIsUnreadable() {
        assertThatThrownBy(() -> reader.read(null)).isInstanceOf(UnreadableEventException.class);
        assertThatThrownBy(() -> reader.read("null".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableEventException.class);
    }

    @Test
    void missingFieldsAreUnreadableBecauseTheyWouldFailTheWholeBatchOnEveryRetry() {
        assertThatThrownBy(() -> reader.read("{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableEventException.class);
        assertThatThrownBy(() -> reader.read(PipelineJson.write(event(null, "campaign-1", "user-1"))))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("adId");
        assertThatThrownBy(() -> reader.read(PipelineJson.write(event("ad-1", " ", "user-1"))))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("campaignId");
    }

    @Test
    void idsLongerThanTheColumnAreUnreadableBecauseTheyWouldFailTheWholeMultiRowInsert() {
        String longest = "u".repeat(AdClick.MAX_ID_LENGTH);

        assertThat(reader.read(PipelineJson.write(event("ad-1", "campaign-1", longest))).userId()).isEqualTo(longest);
        assertThatThrownBy(() -> reader.read(PipelineJson.write(event("ad-1", "campaign-1", longest + "u"))))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("userId");
    }

    private static AdEvent event(String adId, String campaignId, String userId) {
        Instant at = Instant.parse("2026-11-04T10:00:00.123456Z");
        return new AdEvent(UUID.randomUUID(), adId, campaignId, userId, at, 1500, at.plusSeconds(1));
    }
}
