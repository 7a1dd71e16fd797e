package dev.adclicks.producer.clicks;

import java.util.List;

/** A click or a batch is out of {@link dev.adclicks.model.ClickBounds}: answered with 400, nothing is sent. */
class InvalidClicksException extends RuntimeException {

    private final String title;
    private final List<InvalidField> errors;

    InvalidClicksException(String title, List<InvalidField> errors) {
        super(title + ": " + errors);
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    /** "Invalid click" or "Invalid batch, nothing was sent": the ProblemDetail's title. */
    String title() {
        return title;
    }

    List<InvalidField> errors() {
        return errors;
    }
}
