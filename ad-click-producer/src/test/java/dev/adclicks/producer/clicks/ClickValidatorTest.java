package dev.adclicks.producer.clicks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.adclicks.model.AdClick;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ClickValidatorTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:15:30Z");

    private final ClickValidator validator = new ClickValidator(
            new ClicksProperties(Duration.ofSeconds(10), DataSize.ofMegabytes(1), 5,
                    new ClicksProperties.Topic((short) 1),
                    new ClicksProperties.Producer(Duration.ofSeconds(2), Duration.ofSeconds(7), Duration.ofSeconds(5))),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void validBatchPasses() {
        assertThatNoException().isThrownBy(() -> validator.validateBatch(List.of(click("ad-1"), click("ad-2"))));
    }

    @Test
    void invalidClicksAreNamedByIndexAndField() {
        List<AdClick> batch = Arrays.asList(
                click("ad-1"),
                new AdClick(UUID.randomUUID(), "", "campaign-1", "user-1", null),
                null,
                click("a".repeat(65)));

        InvalidClicksException invalid = catchThrowableOfType(InvalidClicksException.class,
                () -> validator.validateBatch(batch));

        assertThat(invalid.errors()).extracting(InvalidField::field)
                .containsExactly("[1].adId", "[1].occurredAt", "[2]", "[3].adId");
    }

    @Test
    void batchOverTheLimitIsRejected() {
        List<AdClick> batch = new ArrayList<>(Collections.nCopies(6, click("ad-1")));

        InvalidClicksException invalid = catchThrowableOfType(InvalidClicksException.class,
                () -> validator.validateBatch(batch));

        assertThat(invalid.errors()).singleElement().extracting(InvalidField::message)
                .isEqualTo("batch has 6 clicks, at most 5 are accepted");
    }

    @Test
    void emptyBatchIsRejected() {
        InvalidClicksException invalid = catchThrowableOfType(InvalidClicksException.class,
                () -> validator.validateBatch(List.of()));

        assertThat(invalid.errors()).singleElement().extracting(InvalidField::message)
                .isEqualTo("batch must contain at least one click");
    }

    @Test
    void aSingleClickOutOfBoundsIsNamedByField() {
        AdClick stale = new AdClick(UUID.randomUUID(), "ad-1", "campaign-1", "user-1", NOW.minus(Duration.ofDays(8)));

        InvalidClicksException invalid = catchThrowableOfType(InvalidClicksException.class,
                () -> validator.validate(stale));

        assertThat(invalid.title()).isEqualTo("Invalid click");
        assertThat(invalid.errors()).singleElement().hasToString(
                "occurredAt must not be more than 7 days in the past (was 2026-11-13T10:15:30Z, now is 2026-11-21T10:15:30Z)");
    }

    private static AdClick click(String adId) {
        return new AdClick(UUID.randomUUID(), adId, "campaign-1", "user-1", NOW);
    }
}
