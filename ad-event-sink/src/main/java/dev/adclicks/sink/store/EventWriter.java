package dev.adclicks.sink.store;

import java.util.List;

import dev.adclicks.model.AdEvent;

/**
 * Stores one polled batch of events in ONE database transaction: on return it has committed; on an
 * exception nothing of the batch is stored. The pipeline's writer is {@link InsertIfAbsentEventWriter};
 * the only other one, {@link dev.adclicks.sink.comparison.NaiveCountingEventWriter}, exists for the
 * comparison lab.
 */
public interface EventWriter {

    WriteResult write(List<AdEvent> events);
}
