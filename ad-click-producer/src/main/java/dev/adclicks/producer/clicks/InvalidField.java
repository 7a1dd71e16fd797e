package dev.adclicks.producer.clicks;

/**
 * One reason a request was rejected, as listed in the {@code errors} property of a 400 problem.
 *
 * @param field the JSON path of the field, such as {@code adId} or {@code [3].occurredAt}
 */
public record InvalidField(String field, String message) {

    @Override
    public String toString() {
        return field.isEmpty() ? message : field + " " + message;
    }
}
