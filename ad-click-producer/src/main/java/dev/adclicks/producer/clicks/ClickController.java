package dev.adclicks.producer.clicks;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.adclicks.model.AdClick;

/**
 * {@code POST /api/clicks} and {@code POST /api/clicks/batch}. 202 means the broker has the click;
 * every error is a ProblemDetail from {@link ClickProblemHandler}.
 */
@RestController
@RequestMapping(path = "/api/clicks", consumes = MediaType.APPLICATION_JSON_VALUE)
class ClickController {

    private final IdempotentClickPublisher publisher;
    private final ClickValidator validator;
    private final TimeOrderedClickIds clickIds;

    ClickController(IdempotentClickPublisher publisher, ClickValidator validator,
            TimeOrderedClickIds clickIds) {
        this.publisher = publisher;
        this.validator = validator;
        this.clickIds = clickIds;
    }

    @PostMapping
    ResponseEntity<PublishedClick> accept(@RequestBody ClickRequest request) {
        AdClick click = request.toAdClick(clickIds::next);
        validator.validate(click);
        return ResponseEntity.accepted().body(publisher.publish(click));
    }

    @PostMapping("/batch")
    ResponseEntity<List<PublishedClick>> acceptBatch(@RequestBody List<ClickRequest> requests) {
        List<AdClick> clicks = requests.stream()
                .map(request -> request == null ? null : request.toAdClick(clickIds::next))
                .collect(Collectors.toList()); // a null stays in place, to be named by its index
        validator.validateBatch(clicks);
        BatchOutcome outcome = publisher.publishAll(clicks);
        if (!outcome.fullyAcknowledged()) {
            throw new BatchNotAcknowledgedException(outcome);
        }
        return ResponseEntity.accepted().body(outcome.accepted());
    }
}
