package io.chat4all.hub.consolidator.jobs;

import io.chat4all.hub.consolidator.archive.UserArchiver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs archive jobs, one at a time per instance, on a thread of its own: queues the scheduled job
 * every {@code interval}, claims queued jobs (requested through the API or scheduled), archives
 * each user of a job — users in parallel up to {@code parallelism}, one failure never stopping
 * the others — and keeps the job's row current (progress, heartbeat, errors, final state).
 */
public final class JobRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    /** How the runner works. */
    public record Settings(Duration hotWindow, boolean scheduled, Duration interval, Duration poll, int parallelism, Duration staleAfter,
                           String instance) {
    }

    private final ArchiveJobStore store;
    private final UserArchiver archiver;
    private final Settings settings;
    private final Clock clock;
    private final Counter usersFailed;
    private final ExecutorService loop = Executors.newSingleThreadExecutor(r -> daemon(r, "archive-jobs"));
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "archive-heartbeat"));
    private final ExecutorService users;
    private volatile boolean running;
    private Instant nextScheduled;

    public JobRunner(ArchiveJobStore store, UserArchiver archiver, Settings settings, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.archiver = archiver;
        this.settings = settings;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.users = Executors.newFixedThreadPool(settings.parallelism(), r -> daemon(r, "archive-user-" + n.incrementAndGet()));
        this.usersFailed = Counter.builder("hub.archive.user.failures")
                .description("Users whose archiving failed in a job (retried by the next run)").register(meters);
    }

    @Override
    public void start() {
        running = true;
        nextScheduled = clock.instant().plus(settings.interval());
        loop.execute(this::loop);
        log.info("archive jobs: {} (hot window {}), {} users at a time, instance {}",
                settings.scheduled() ? "scheduled every " + settings.interval() : "on request only (schedule off)",
                settings.hotWindow(), settings.parallelism(), settings.instance());
    }

    private void loop() {
        while (running) {
            try {
                int resumed = store.requeueInterrupted(settings.staleAfter(), clock.instant());
                if (resumed > 0) {
                    log.warn("archive jobs: {} interrupted job(s) queued again to resume", resumed);
                }
                if (settings.scheduled() && !clock.instant().isBefore(nextScheduled)) {
                    nextScheduled = clock.instant().plus(settings.interval());
                    store.queueScheduled(clock.instant()).ifPresent(id -> log.info("archive jobs: scheduled job {} queued", id));
                }
                var claimed = store.claim(settings.instance(), clock.instant());
                if (claimed.isPresent()) {
                    run(claimed.get());
                } else {
                    Thread.sleep(settings.poll().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("archive jobs: {} (retrying in {})", e.getMessage(), settings.poll());
                sleep(settings.poll());
            }
        }
    }

    private void run(ArchiveJobStore.Claimed job) throws InterruptedException {
        Instant cutoff = job.cutoff() != null ? job.cutoff() : clock.instant().minus(settings.hotWindow());
        List<UUID> owners;
        try {
            owners = job.userId() != null ? List.of(job.userId()) : archiver.ownersWithHistoryBefore(cutoff);
        } catch (RuntimeException e) {
            store.fail(job.jobId(), "could not list the users to archive: " + e.getMessage(), clock.instant());
            return;
        }
        store.begin(job.jobId(), cutoff, owners.size());
        log.info("archive job {}{}: {} user(s) with history accepted before {}", job.jobId(),
                job.resumed() ? " (resumed)" : "", owners.size(), cutoff);
        var beat = heartbeats.scheduleAtFixedRate(() -> heartbeat(job.jobId()), 10, 10, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> work = new ArrayList<>();
            for (UUID owner : owners) {
                work.add(users.submit(() -> archiveUser(job.jobId(), owner, cutoff)));
            }
            for (Future<?> future : work) {
                try {
                    future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    log.error("archive job {}: unexpected failure", job.jobId(), e.getCause());
                }
            }
        } finally {
            beat.cancel(false);
        }
        if (!running) {
            return;
        }
        String state = store.finish(job.jobId(), clock.instant());
        log.info("archive job {} {} in {} s", job.jobId(), state, (System.nanoTime() - t0) / 1_000_000_000);
    }

    private void archiveUser(UUID jobId, UUID owner, Instant cutoff) {
        if (!running) {
            return;
        }
        UserArchiver.Progress progress = new UserArchiver.Progress();
        try {
            archiver.archive(owner, cutoff, jobId, progress, () -> running);
            store.userDone(jobId, clock.instant());
        } catch (RuntimeException e) {
            if (!running) {
                log.info("archive job {}: stopping while archiving user {}; the job resumes at the next start", jobId, owner);
                return;
            }
            usersFailed.increment();
            log.error("archive job {}: user {} failed after {} rows in {} objects: {}", jobId, owner, progress.rows(),
                    progress.objects(), e.getMessage(), e);
            store.userFailed(jobId, owner, String.valueOf(e.getMessage()), clock.instant());
        }
    }

    private void heartbeat(UUID jobId) {
        try {
            store.heartbeat(jobId, clock.instant());
        } catch (RuntimeException e) {
            log.warn("archive job {}: heartbeat failed: {}", jobId, e.getMessage());
        }
    }

    @Override
    public void stop() {
        running = false;
        loop.shutdownNow();
        users.shutdown();
        try {
            if (!users.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("archive jobs: users still being archived after 30 s; their job resumes at the next start");
            }
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heartbeats.shutdownNow();
        try {
            int requeued = store.requeueOwn(settings.instance());
            if (requeued > 0) {
                log.info("archive jobs: {} running job(s) queued again; they resume at the next start", requeued);
            }
        } catch (RuntimeException e) {
            log.warn("archive jobs: could not queue running jobs again ({}); they resume once their heartbeat is stale",
                    e.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
