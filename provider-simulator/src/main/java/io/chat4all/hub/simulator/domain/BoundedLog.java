package io.chat4all.hub.simulator.domain;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/**
 * The last {@code capacity} records, oldest first, each with a sequence number that keeps growing
 * (also across {@link #clear()}), so memory stays bounded however long the simulator runs.
 */
public final class BoundedLog<T> {

    private final int capacity;
    private final ArrayDeque<T> records = new ArrayDeque<>();
    private long nextSeq = 1;

    public BoundedLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** Appends the record {@code create} makes from the next sequence number, dropping the oldest when full. */
    public synchronized T append(LongFunction<T> create) {
        T record = create.apply(nextSeq++);
        if (records.size() == capacity) {
            records.removeFirst();
        }
        records.addLast(record);
        return record;
    }

    public synchronized List<T> select(Predicate<? super T> filter) {
        return records.stream().filter(filter).toList();
    }

    public synchronized Optional<T> find(Predicate<? super T> filter) {
        return records.stream().filter(filter).findFirst();
    }

    public synchronized int size() {
        return records.size();
    }

    public synchronized void clear() {
        records.clear();
    }
}
