package dev.adclicks.producer.clicks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ClickBatchValidatorTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:15:30Z");

    private final ValidatorFactory validatorFactory = Validation.buildDefaultValidatorFactory();
    private final ClickBatchValidator batchValidator = new ClickBatchValidator(validatorFactory.getValidator(),
            new ClicksProperties(Duration.ofSeconds(10), DataSize.ofMegabytes(1), 5,
                    new ClicksProperties.Topic(3, (short) 1),
                    new ClicksProperties.Producer(Duration.ofSeconds(2), Duration.ofSeconds(7), Duration.ofSeconds(5))));

    @AfterEach
    void closeValidator() {
        validatorFactory.close();
    }

    @Test
    void validBatchPasses() {
        assertThatNoException().isThrownBy(() -> batchValidator.validate(List.of(click("ad-1"), click("ad-2"))));
    }

    @Test
    void invalidClicksAreNamedByIndexAndField() {
        List<ClickRequest> batch = Arrays.asList(
                click("ad-1"),
                new ClickRequest(null, "", "campaign-1", "user-1", null),
                null,
                click("a".repeat(65)));

        InvalidBatchException invalid = catchThrowableOfType(InvalidBatchException.class,
                () -> batchValidator.validate(batch));

        assertThat(invalid.errors()).extracting(InvalidField::field)
                .containsExactly("[1].adId", "[1].occurredAt", "[2]", "[3].adId");
    }

    @Test
    void batchOverTheLimitIsRejected() {
        List<ClickRequest> batch = new ArrayList<>(Collections.nCopies(6, click("ad-1")));

        InvalidBatchException invalid = catchThrowableOfType(InvalidBatchException.class,
                () -> batchValidator.validate(batch));

        assertThat(invalid.errors()).singleElement().extracting(InvalidField::message)
                .isEqualTo("batch has 6 clicks, at most 5 are accepted");
    }

    @Test
    void emptyBatchIsRejected() {
        InvalidBatchException invalid = catchThrowableOfType(InvalidBatchException.class,
                () -> batchValidator.validate(List.of()));

        assertThat(invalid.errors()).singleElement().extracting(InvalidField::message)
                .isEqualTo("batch must contain at least one click");
    }

    private static ClickRequest click(String adId) {
        return new ClickRequest(null, adId, "campaign-1", "user-1", NOW);
    }
}
