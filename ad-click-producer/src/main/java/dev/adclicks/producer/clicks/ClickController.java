package dev.adclicks.producer.clicks;

import java.util.List;

import jakarta.validation.Valid;

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
    private final ClickBatchValidator batchValidator;
    private final TimeOrderedClickIds clickIds;

    ClickController(IdempotentClickPublisher publisher, ClickBatchValidator batchValidator,
            TimeOrderedClickIds clickIds) {
        this.publisher = publisher;
        this.batchValidator = batchValidator;
        this.clickIds = clickIds;
    }

    @PostMapping
    ResponseEntity<PublishedClick> accept(@Valid @RequestBody ClickRequest request) {
        AdClick click = request.toAdClick(clickIds::next);
        return ResponseEntity.accepted().body(publisher.publish(click));
    }

    @PostMapping("/batch")
    ResponseEntity<List<PublishedClick>> acceptBatch(@RequestBody List<ClickRequest> requests) {
        batchValidator.validate(requests);
        List<AdClick> clicks = requests.stream().map(request -> request.toAdClick(clickIds::next)).toList();
        BatchOutcome outcome = publisher.publishAll(clicks);
        if (!outcome.fullyAcknowledged()) {
            throw new BatchNotAcknowledgedException(outcome);
        }
        return ResponseEntity.accepted().body(outcome.accepted());
    }
}
