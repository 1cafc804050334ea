package io.chat4all.hub.gateway.admin;

import io.chat4all.hub.gateway.core.ApiException;
import io.chat4all.hub.gateway.core.HubPrincipal;
import io.chat4all.hub.gateway.core.Jdbc;
import io.chat4all.hub.gateway.users.UserRepository;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * Archive on demand ({@code POST /v1/admin/archive}), job progress ({@code GET /v1/admin/jobs/{job_id}})
 * and the hub's figures ({@code GET /v1/admin/stats}), for admins. The gateway only queues the job; the consolidator claims and runs it.
 */
@RestController
class AdminController {

    private final ArchiveJobs jobs;
    private final HubStats stats;
    private final UserRepository users;
    private final Jdbc jdbc;

    AdminController(ArchiveJobs jobs, HubStats stats, UserRepository users, Jdbc jdbc) {
        this.jobs = jobs;
        this.stats = stats;
        this.users = users;
        this.jdbc = jdbc;
    }

    record Queued(UUID jobId) {
    }

    record Progress(int usersTotal, int usersDone, int usersFailed, long rows, long bytes, int objects) {
    }

    record JobResponse(UUID jobId, String kind, String trigger, String state, UUID userId, Instant olderThan,
                       Progress progress, List<Map<String, Object>> errors, String detail, Instant createdAt,
                       Instant startedAt, Instant finishedAt) {
    }

    @PostMapping(path = "/v1/admin/archive", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Queued> archive(@RequestBody(required = false) JsonNode body, @AuthenticationPrincipal HubPrincipal admin) {
        JsonNode request = body == null || body.isNull() ? tools.jackson.databind.node.JsonNodeFactory.instance.objectNode() : body;
        if (!request.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object {user_id?, older_than?}");
        }
        UUID userId = userId(request.get("user_id"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant cutoff = cutoff(request.get("older_than"), now);
        UUID jobId = UUID.randomUUID();
        return jdbc.call(() -> {
            if (userId != null && users.findById(userId).isEmpty()) {
                throw ApiException.invalid("user_id", "no user " + userId);
            }
            jobs.queue(jobId, admin.userId(), userId, cutoff, now);
            return new Queued(jobId);
        });
    }

    /** {@code GET /v1/admin/stats}: how the hub is doing, from the engines' own bookkeeping ({@link HubStats}). */
    @GetMapping("/v1/admin/stats")
    Mono<HubStats.Stats> stats() {
        return Mono.fromCallable(stats::stats).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/v1/admin/jobs/{job_id}")
    Mono<JobResponse> job(@PathVariable("job_id") UUID jobId) {
        return jdbc.call(() -> jobs.find(jobId)
                .map(j -> new JobResponse(j.jobId(), "archive", j.trigger(), j.state(), j.userId(), j.cutoff(),
                        new Progress(j.usersTotal(), j.usersDone(), j.usersFailed(), j.rows(), j.bytes(), j.objects()),
                        j.errors(), j.detail(), j.createdAt(), j.startedAt(), j.finishedAt()))
                .orElseThrow(() -> ApiException.notFound("job " + jobId)));
    }

    private static UUID userId(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return UUID.fromString(value.asString(""));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("user_id", "must be a user id (UUID)");
        }
    }

    /**
     * {@code older_than}: an RFC 3339 time (archive what was accepted before it) or an ISO-8601
     * duration ({@code P30D}, {@code PT1H}: before now minus it); absent = the consolidator's hot window.
     */
    private static Instant cutoff(JsonNode value, Instant now) {
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.asString("").strip();
        try {
            if (text.startsWith("P") || text.startsWith("p")) {
                Duration age = Duration.parse(text);
                if (age.isNegative()) {
                    throw ApiException.invalid("older_than", "must not be negative");
                }
                return now.minus(age);
            }
            Instant at = OffsetDateTime.parse(text).toInstant();
            if (at.isAfter(now)) {
                throw ApiException.invalid("older_than", "must not be in the future");
            }
            return at;
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("older_than", "must be an RFC 3339 time or an ISO-8601 duration such as P7D");
        }
    }
}
