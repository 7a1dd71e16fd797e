package dev.adclicks.producer.clicks;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.adclicks.model.AdClick;
import dev.adclicks.model.ClickBounds;

/**
 * Checks clicks against {@link ClickBounds} before anything is sent — the rules the relay applies
 * again to whatever reaches {@code ad-clicks} — and a batch as a whole, so a batch is either
 * rejected as a whole (400, nothing in Kafka) or sent as a whole.
 */
@Component
class ClickValidator {

    private final int maxBatchSize;
    private final Clock clock;

    @Autowired
    ClickValidator(ClicksProperties clicks) {
        this(clicks, Clock.systemUTC());
    }

    ClickValidator(ClicksProperties clicks, Clock clock) {
        this.maxBatchSize = clicks.maxBatchSize();
        this.clock = clock;
    }

    /** @throws InvalidClicksException naming every field out of bounds, e.g. {@code occurredAt} */
    void validate(AdClick click) {
        List<InvalidField> errors = errors("", click);
        if (!errors.isEmpty()) {
            throw new InvalidClicksException("Invalid click", errors);
        }
    }

    /**
     * @param batch the clicks, {@code null} where the request had {@code null}
     * @throws InvalidClicksException naming every invalid field by index, e.g. {@code [3].adId}
     */
    void validateBatch(List<AdClick> batch) {
        if (batch.isEmpty()) {
            throw invalidBatch(List.of(new InvalidField("", "batch must contain at least one click")));
        }
        if (batch.size() > maxBatchSize) {
            throw invalidBatch(List.of(new InvalidField("",
                    "batch has " + batch.size() + " clicks, at most " + maxBatchSize + " are accepted")));
        }
        List<InvalidField> errors = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            AdClick click = batch.get(i);
            if (click == null) {
                errors.add(new InvalidField("[" + i + "]", "must not be null"));
            }
            else {
                errors.addAll(errors("[" + i + "].", click));
            }
        }
        if (!errors.isEmpty()) {
            throw invalidBatch(errors);
        }
    }

    private List<InvalidField> errors(String prefix, AdClick click) {
        return ClickBounds.violations(click, clock.instant()).stream()
                .map(violation -> new InvalidField(prefix + violation.field(), violation.message()))
                .toList();
    }

    private static InvalidClicksException invalidBatch(List<InvalidField> errors) {
        return new InvalidClicksException("Invalid batch, nothing was sent", errors);
    }
}
