package io.chat4all.hub.gateway.files;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Aborts uploads nobody completed before their expiry, so their parts do not stay in storage.
 * Every gateway instance runs it; aborting twice is harmless (the second finds nothing to do).
 */
@Component
class AbandonedUploads {

    private static final Logger log = LoggerFactory.getLogger(AbandonedUploads.class);

    private final FileUploads uploads;

    AbandonedUploads(FileUploads uploads) {
        this.uploads = uploads;
    }

    @Scheduled(fixedDelayString = "${hub.files.cleanup-interval:1m}", initialDelayString = "${hub.files.cleanup-interval:1m}")
    void sweep() {
        try {
            int aborted;
            do {
                aborted = uploads.abortExpired(100);
                if (aborted > 0) {
                    log.info("aborted {} expired upload(s)", aborted);
                }
            } while (aborted == 100);
        } catch (RuntimeException e) {
            log.warn("sweeping expired uploads failed, retrying at the next run: {}", e.getMessage());
        }
    }
}
