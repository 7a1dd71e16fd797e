package dev.adclicks.dashboard;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The JSON behind the dashboard's page ({@code /index.html}): {@code GET /api/pipeline} and the
 * "send" control, {@code POST /api/demo/clicks}.
 */
@RestController
class DashboardController {

    private final PipelineStatusService status;
    private final DemoClicks demoClicks;
    private final DashboardProperties properties;

    DashboardController(PipelineStatusService status, DemoClicks demoClicks, DashboardProperties properties) {
        this.status = status;
        this.demoClicks = demoClicks;
        this.properties = properties;
    }

    @GetMapping(path = "/api/pipeline", produces = MediaType.APPLICATION_JSON_VALUE)
    PipelineStatus pipeline() {
        return status.status();
    }

    /**
     * Sends {@code count} made-up clicks to the producer, then re-sends {@code resendPercent}% of them
     * with the same clickIds: 202 when the producer acknowledged every new click, 503 when it did not
     * (or did not answer), with the counts either way.
     */
    @PostMapping(path = "/api/demo/clicks", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DemoClicks.Result> sendDemoClicks(@RequestBody DemoRequest request) {
        if (request.count() < 1 || request.count() > properties.maxDemoClicks()) {
            throw invalid("count must be between 1 and " + properties.maxDemoClicks() + ", was " + request.count());
        }
        if (request.resendPercent() < 0 || request.resendPercent() > 100) {
            throw invalid("resendPercent must be between 0 and 100, was " + request.resendPercent());
        }
        DemoClicks.Result result = demoClicks.send(request.count(), request.resendPercent());
        return ResponseEntity.status(result.failed() == 0 ? HttpStatus.ACCEPTED : HttpStatus.SERVICE_UNAVAILABLE)
                .body(result);
    }

    private static ErrorResponseException invalid(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid demo request");
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }

    record DemoRequest(int count, int resendPercent) {
    }
}
