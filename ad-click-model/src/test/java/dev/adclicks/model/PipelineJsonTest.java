package dev.adclicks.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

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

    /**
     * The pipeline's own instants take {@link IsoInstantDeserializer}'s fast path and come out as
     * Jackson's deserializer reads them: random instants across the years 0000–9999, with no fraction and
     * with 3, 6 and 9 of its digits (what {@link Instant#toString()} writes), and 1–9 digits written by hand.
     */
    @Test
    void readsThePipelinesOwnInstantsOnTheFastPathAsJacksonDoes() {
        JsonMapper jackson = PipelineJson.withoutSpeedUps();
        Random random = new Random(20261202);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(YEAR_0, YEAR_10000), switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            });
            String written = i % 5 == 0 ? handWritten(instant, 1 + random.nextInt(9)) : instant.toString();

            assertThat(IsoInstantDeserializer.parseUtc(written.toCharArray(), 0, written.length()))
                    .as(written).isEqualTo(jackson.readValue(quoted(written), Instant.class));
            assertThat(PipelineJson.read(json(written), AdClick.class).occurredAt()).as(written)
                    .isEqualTo(jackson.readValue(quoted(written), Instant.class));
            assertThat(IsoInstantSerializer.formatUtc(instant, new char[30])).as(written).isPositive();
            assertThat(PipelineJson.mapper().writeValueAsString(instant)).isEqualTo(jackson.writeValueAsString(instant))
                    .isEqualTo(quoted(instant.toString()));
        }
    }

    /** Instants outside 0000–9999, and writers that ask for timestamps, are left to Jackson's serializer. */
    @ParameterizedTest
    @ValueSource(strings = {"-0001-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
            "+999999999-12-31T23:59:59.999999999Z"})
    void writesInstantsOutsideTheFourDigitYearsAsJacksonDoes(String instant) {
        Instant value = Instant.parse(instant);

        assertThat(IsoInstantSerializer.formatUtc(value, new char[30])).isZero();
        assertThat(PipelineJson.mapper().writeValueAsString(value))
                .isEqualTo(PipelineJson.withoutSpeedUps().writeValueAsString(value));
    }

    @Test
    void writesTimestampsWhenAWriterAsksForThem() {
        AdEvent event = new AdEvent(CLICK_ID, "ad-1", "campaign-1", "user-1", Instant.parse("2026-12-01T10:00:00.5Z"),
                1_500, Instant.parse("2026-12-01T10:00:01Z"));

        String timestamps = PipelineJson.mapper().writer().with(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                .writeValueAsString(event);

        assertThat(timestamps).contains("\"occurredAt\":1796119200.500000000").isEqualTo(PipelineJson.withoutSpeedUps()
                .writer().with(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(event));
    }

    /** Everything else is left to Jackson's deserializer: the same instant, or the same refusal. */
    @ParameterizedTest
    @ValueSource(strings = {"2016-12-31T23:59:60Z", "2026-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T10:60:00Z", "2026-12-01T10:00:00.Z",
            "2026-12-01T10:00:00.1234567891Z", "2026-12-01T10:00:00,5Z", "2026-12-01T1a:00:00Z",
            "2026-13-01T10:00:00Z", "+12026-12-01T10:00:00Z", "-0001-12-01T10:00:00Z", "2026-12-01t10:00:00z",
            "2026-12-01T10:00:00.5+00:00", "2026-12-01T10:00Z", ""})
    void leavesEveryOtherStringToJackson(String written) {
        JsonMapper jackson = PipelineJson.withoutSpeedUps();
        assertThat(IsoInstantDeserializer.parseUtc(written.toCharArray(), 0, written.length())).as(written).isNull();
        Object expected;
        try {
            expected = jackson.readValue(quoted(written), Instant.class);
        }
        catch (JacksonException refused) {
            expected = refused.getClass();
        }
        Object actual;
        try {
            actual = PipelineJson.read(json(written), AdClick.class).occurredAt();
        }
        catch (JacksonException refused) {
            actual = refused.getClass();
        }
        assertThat(actual).as(written).isEqualTo(expected);
    }

    @Test
    void readsNumbersAsJacksonDoes() {
        String click = "{\"clickId\":\"" + CLICK_ID + "\",\"adId\":\"ad-1\",\"campaignId\":\"campaign-1\","
                + "\"userId\":\"user-1\",\"occurredAt\":1764583200.5}";

        assertThat(PipelineJson.read(click.getBytes(StandardCharsets.UTF_8), AdClick.class).occurredAt())
                .isEqualTo(PipelineJson.withoutSpeedUps().readValue("1764583200.5", Instant.class));
    }

    private static final long YEAR_0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

    /** {@code instant} with exactly {@code digits} fraction digits, some of them trailing zeros. */
    private static String handWritten(Instant instant, int digits) {
        String nanos = String.format("%09d", instant.getNano());
        return instant.toString().replaceFirst("(\\.\\d+)?Z$", "") + "." + nanos.substring(0, digits) + "Z";
    }

    private static String quoted(String value) {
        return "\"" + value + "\"";
    }

    private static byte[] json(String occurredAt) {
        return ("{\"clickId\":\"" + CLICK_ID + "\",\"adId\":\"ad-1\",\"campaignId\":\"campaign-1\",\"userId\":\"user-1\","
                + "\"occurredAt\":\"" + occurredAt + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
