package dev.adclicks.producer.clicks;

import java.io.IOException;

/**
 * A request body over {@code clicks.max-body-size}. An {@link IOException}, so that it travels out
 * of the JSON parser like any failed read and reaches {@link ClickProblemHandler} (400).
 */
class RequestBodyTooLargeException extends IOException {

    private final long limit;

    RequestBodyTooLargeException(long limit) {
        super("request body exceeds " + limit + " bytes");
        this.limit = limit;
    }

    long limit() {
        return limit;
    }
}
