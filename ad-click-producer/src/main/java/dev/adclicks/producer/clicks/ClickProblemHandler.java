package dev.adclicks.producer.clicks;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error into an RFC 9457 ProblemDetail ({@code application/problem+json}) whose
 * {@code detail} says what to fix:
 * <ul>
 * <li>400: the request cannot become a click (malformed JSON, wrong type, failed validation, body
 * over the limit). Nothing was sent to Kafka; {@code errors} lists the fields.
 * <li>503: Kafka did not acknowledge in time. The click may or may not be in the topic; retrying
 * with the same clickId is safe, because the sink keeps one row per clickId.
 * </ul>
 * The Spring MVC errors not overridden here (405, 415, 404...) get the superclass's ProblemDetails.
 */
@RestControllerAdvice
class ClickProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ClickProblemHandler.class);

    /** How many field errors a {@code detail} spells out; {@code errors} always has all of them. */
    private static final int ERRORS_IN_DETAIL = 10;

    private final ClickMetrics metrics;

    ClickProblemHandler(ClickMetrics metrics) {
        this.metrics = metrics;
    }

    @ExceptionHandler
    ResponseEntity<Object> handleInvalidClicks(InvalidClicksException ex, WebRequest request) {
        ProblemDetail problem = invalidRequest(ex.title(), ex.errors());
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        InvalidField error = unreadable(ex);
        return handleExceptionInternal(ex, invalidRequest("Unreadable request body", List.of(error)), headers, status,
                request);
    }

    @ExceptionHandler
    ResponseEntity<Object> handleNotAcknowledged(ClickNotAcknowledgedException ex, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                ex.getMessage() + ". The click may or may not have been written; retry with the same clickId "
                        + "(duplicates are dropped downstream by clickId).");
        problem.setTitle("Click not acknowledged by Kafka");
        problem.setProperty("clickId", ex.clickId());
        problem.setProperty("reason", ex.reason().tag());
        return handleExceptionInternal(ex, problem, retryAfterOneSecond(), HttpStatus.SERVICE_UNAVAILABLE, request);
    }

    @ExceptionHandler
    ResponseEntity<Object> handleBatchNotAcknowledged(BatchNotAcknowledgedException ex, WebRequest request) {
        BatchOutcome outcome = ex.outcome();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                ex.getMessage() + ". Those listed in 'accepted' are in the topic; retry the ones in "
                        + "'failedClickIds' with the same clickIds (duplicates are dropped downstream by clickId).");
        problem.setTitle("Batch not fully acknowledged by Kafka");
        problem.setProperty("accepted", outcome.accepted());
        problem.setProperty("failedClickIds", outcome.failedClickIds());
        problem.setProperty("failuresByReason", outcome.failuresByReason());
        return handleExceptionInternal(ex, problem, retryAfterOneSecond(), HttpStatus.SERVICE_UNAVAILABLE, request);
    }

    @ExceptionHandler
    ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
        log.error("Unexpected error handling {}", request.getDescription(false), ex);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "Unexpected error; see the service log");
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    private ProblemDetail invalidRequest(String title, List<InvalidField> errors) {
        metrics.failed(FailureReason.INVALID_REQUEST, 1);
        String detail = errors.stream().limit(ERRORS_IN_DETAIL).map(InvalidField::toString)
                .collect(Collectors.joining("; "));
        if (errors.size() > ERRORS_IN_DETAIL) {
            detail += "; and " + (errors.size() - ERRORS_IN_DETAIL) + " more (see errors)";
        }
        log.info("{}: {}", title, detail);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle(title);
        problem.setProperty("errors", errors);
        return problem;
    }

    /** Names what was wrong with a body that could not be read into clicks, and where. */
    private static InvalidField unreadable(HttpMessageNotReadableException ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof RequestBodyTooLargeException tooLarge) {
                return new InvalidField("", "request body exceeds the limit of " + tooLarge.limit() + " bytes");
            }
        }
        if (ex.getCause() instanceof MismatchedInputException mismatch) {
            // a value of the wrong type or format: "not-a-uuid" for clickId, an object for adId...
            String field = jsonPath(mismatch.getPath());
            return new InvalidField(field, expected(mismatch.getTargetType(), field.isEmpty()));
        }
        if (ex.getCause() instanceof JacksonException json) {
            return new InvalidField("", "request body is not valid JSON: " + json.getOriginalMessage());
        }
        if (ex.getCause() == null && String.valueOf(ex.getMessage()).startsWith("Required request body is missing")) {
            return new InvalidField("", "request body is missing");
        }
        return new InvalidField("", "request body could not be read");
    }

    private static String expected(Class<?> type, boolean wholeBody) {
        String prefix = wholeBody ? "request body " : "";
        if (type == null) {
            return prefix + "has a value of the wrong type";
        }
        if (type == UUID.class) {
            return "must be a UUID";
        }
        if (type == Instant.class) {
            return "must be an ISO-8601 instant such as 2026-01-01T12:00:00Z";
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return prefix + "must be a JSON array";
        }
        return prefix + "must be a JSON object";
    }

    /** {@code [3].occurredAt} from Jackson's path of references. */
    private static String jsonPath(List<JacksonException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JacksonException.Reference reference : path) {
            if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
            else if (reference.getPropertyName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(reference.getPropertyName());
            }
        }
        return field.toString();
    }

    private static HttpHeaders retryAfterOneSecond() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "1");
        return headers;
    }
}
