package io.chat4all.hub.simulator.web;

import io.chat4all.hub.simulator.domain.Fault;
import io.chat4all.hub.simulator.domain.FaultSpec;
import io.chat4all.hub.simulator.domain.Faults;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Control API: faults injected into provider sends ({@code /_sim/faults}). */
@RestController
class FaultController {

    private final Faults faults;

    FaultController(Faults faults) {
        this.faults = faults;
    }

    record FaultCreated(String faultId) {
    }

    record FaultList(List<Fault.View> faults) {
    }

    @PostMapping("/_sim/faults")
    @ResponseStatus(HttpStatus.CREATED)
    FaultCreated add(@RequestBody FaultSpec spec) {
        return new FaultCreated(faults.add(spec));
    }

    @GetMapping("/_sim/faults")
    FaultList list() {
        return new FaultList(faults.list());
    }

    @DeleteMapping("/_sim/faults")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void clear() {
        faults.clear();
    }

    @DeleteMapping("/_sim/faults/{faultId}")
    ResponseEntity<Void> remove(@PathVariable String faultId) {
        return faults.remove(faultId) ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
    }
}
