package io.chat4all.hub.indexer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Tails PostgreSQL through Debezium (change data capture) and indexes messages into Elasticsearch. */
@SpringBootApplication
public class IndexerApplication {

    public static void main(String[] args) {
        SpringApplication.run(IndexerApplication.class, args);
    }
}
