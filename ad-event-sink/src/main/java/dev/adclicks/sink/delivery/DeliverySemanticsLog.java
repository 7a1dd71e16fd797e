package dev.adclicks.sink.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/** Says at startup which delivery semantics this service runs with: WARN for a comparison mode. */
@Component
class DeliverySemanticsLog {

    private static final Logger log = LoggerFactory.getLogger(DeliverySemanticsLog.class);

    DeliverySemanticsLog(PipelineProperties pipeline) {
        if (pipeline.delivery().isComparisonMode()) {
            log.warn("ad-event-sink {}", pipeline.delivery().startupMessage());
        }
        else {
            log.info("ad-event-sink {}", pipeline.delivery().startupMessage());
        }
    }
}
