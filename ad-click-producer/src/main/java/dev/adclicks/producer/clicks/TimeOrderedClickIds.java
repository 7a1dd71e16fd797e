package dev.adclicks.producer.clicks;

import java.util.UUID;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

import org.springframework.stereotype.Component;

/**
 * New clickIds for clicks posted without one: version-7 UUIDs, which start with a millisecond
 * timestamp, so ids sort by creation time and the sink's UNIQUE(click_id) index grows at its end
 * instead of splitting random pages.
 */
@Component
public class TimeOrderedClickIds {

    private final TimeBasedEpochGenerator generator = Generators.timeBasedEpochGenerator();

    public UUID next() {
        return generator.generate();
    }
}
