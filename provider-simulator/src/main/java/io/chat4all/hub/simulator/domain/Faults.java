package io.chat4all.hub.simulator.domain;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** The injected faults, in the order they were added; the first matching one that fires wins. */
public final class Faults {

    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong fired = new AtomicLong();

    /**
     * @return the new fault's id
     * @throws IllegalArgumentException when the spec is invalid
     */
    public String add(FaultSpec spec) {
        spec.validate();
        Fault fault = new Fault("fault-" + ids.incrementAndGet(), spec);
        faults.add(fault);
        return fault.id();
    }

    /** The fault that fires on a send to {@code recipient} over {@code channel}, if any. */
    public Optional<Fault> fire(Channel channel, String recipient) {
        Optional<Fault> fault = faults.stream().filter(f -> f.matches(channel, recipient) && f.tryFire()).findFirst();
        fault.ifPresent(f -> fired.incrementAndGet());
        return fault;
    }

    public List<Fault.View> list() {
        return faults.stream().map(Fault::view).toList();
    }

    /** @return whether a fault with that id existed */
    public boolean remove(String id) {
        return faults.removeIf(f -> f.id().equals(id));
    }

    public void clear() {
        faults.clear();
    }

    /** How many sends faults fired on since the simulator started. */
    public long firedCount() {
        return fired.get();
    }
}
