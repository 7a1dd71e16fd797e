package dev.adclicks.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import tools.jackson.core.JacksonException;

/** The record format: what instants it reads and how it writes them. */
class PipelineJsonTest {

    private static final UUID CLICK_ID = UUID.fromString("0193a5c8-0000-7000-8000-000000000001");

    @ParameterizedTest
    @CsvSource({
            "2026-12-01T10:00:00Z,          2026-12-01T10:00:00Z",
            "2026-12-01T10:00:00.123456Z,   2026-12-01T10:00:00.123456Z",
            "2026-12-01T10:00:00.123456789Z, 2026-12-01T10:00:00.123456789Z",
            "2026-12-01T11:00:00+01:00,     2026-12-01T10:00:00Z",
            "2026-12-01T04:30:00.5-05:30,   2026-12-01T10:00:00.5Z",
    })
    void readsIsoInstantsWithZOrAnOffset(String written, String instant) {
        AdClick click = PipelineJson.read(json(written), AdClick.class);

        assertThat(click.occurredAt()).isEqualTo(Instant.parse(instant));
        assertThat(click.clickId()).isEqualTo(CLICK_ID);
    }

    @Test
    void writesInstantsAsIsoInUtc() {
        AdClick click = new AdClick(CLICK_ID, "ad-1", "campaign-1", "user-1", Instant.parse("2026-12-01T10:00:00.123456Z"));

        String written = new String(PipelineJson.write(click), StandardCharsets.UTF_8);

        assertThat(written).contains("\"occurredAt\":\"2026-12-01T10:00:00.123456Z\"");
        assertThat(PipelineJson.read(PipelineJson.write(click), AdClick.class)).isEqualTo(click);
    }

    @ParameterizedTest
    @CsvSource({"2026-12-01 10:00:00Z", "2026-12-01T10:00:00", "yesterday"})
    void refusesWhatIsNotAnIsoInstant(String written) {
        assertThatThrownBy(() -> PipelineJson.read(json(written), AdClick.class)).isInstanceOf(JacksonException.class);
    }

    private static byte[] json(String occurredAt) {
        return ("{\"clickId\":\"" + CLICK_ID + "\",\"adId\":\"ad-1\",\"campaignId\":\"campaign-1\",\"userId\":\"user-1\","
                + "\"occurredAt\":\"" + occurredAt + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
