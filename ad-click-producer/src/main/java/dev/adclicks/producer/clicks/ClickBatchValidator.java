package dev.adclicks.producer.clicks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.springframework.stereotype.Component;

/**
 * Checks a whole batch before any of it is sent, so a batch is either rejected as a whole (400,
 * nothing in Kafka) or sent as a whole.
 */
@Component
class ClickBatchValidator {

    private final Validator validator;
    private final int maxBatchSize;

    ClickBatchValidator(Validator validator, ClicksProperties clicks) {
        this.validator = validator;
        this.maxBatchSize = clicks.maxBatchSize();
    }

    /** @throws InvalidBatchException naming every invalid field by index, e.g. {@code [3].adId} */
    void validate(List<ClickRequest> batch) {
        if (batch.isEmpty()) {
            throw new InvalidBatchException(List.of(new InvalidField("", "batch must contain at least one click")));
        }
        if (batch.size() > maxBatchSize) {
            throw new InvalidBatchException(List.of(new InvalidField("",
                    "batch has " + batch.size() + " clicks, at most " + maxBatchSize + " are accepted")));
        }
        List<InvalidField> errors = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            ClickRequest request = batch.get(i);
            if (request == null) {
                errors.add(new InvalidField("[" + i + "]", "must not be null"));
                continue;
            }
            List<InvalidField> clickErrors = new ArrayList<>();
            for (ConstraintViolation<ClickRequest> violation : validator.validate(request)) {
                clickErrors.add(new InvalidField("[" + i + "]." + violation.getPropertyPath(), violation.getMessage()));
            }
            clickErrors.sort(Comparator.comparing(InvalidField::field).thenComparing(InvalidField::message));
            errors.addAll(clickErrors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidBatchException(errors);
        }
    }
}
