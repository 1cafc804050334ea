package io.chat4all.hub.consolidator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Moves history older than the hot window from PostgreSQL to Parquet objects in S3, with a manifest. */
@SpringBootApplication
public class ConsolidatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConsolidatorApplication.class, args);
    }
}
