package io.chat4all.hub.storage;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Batch-writes per-participant history and delivery statuses to PostgreSQL; owns the schema (Flyway). */
@SpringBootApplication
public class StorageWriterApplication {

    public static void main(String[] args) {
        SpringApplication.run(StorageWriterApplication.class, args);
    }
}
