package dev.adclicks.producer.clicks;

import java.util.List;

/** A batch request failed validation; answered with 400 and nothing of the batch is sent. */
class InvalidBatchException extends RuntimeException {

    private final List<InvalidField> errors;

    InvalidBatchException(List<InvalidField> errors) {
        super("invalid batch: " + errors);
        this.errors = List.copyOf(errors);
    }

    List<InvalidField> errors() {
        return errors;
    }
}
