package io.chat4all.hub.bench;

/** One measurement against a running hub. */
interface Scenario {

    Result run();
}
