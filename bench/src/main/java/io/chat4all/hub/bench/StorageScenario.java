package io.chat4all.hub.bench;

import io.chat4all.hub.localstack.cli.Endpoints;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code storage}: storage-writer's rows a second ({@link StorageDrain}, {@code --rows}, default
 * 150,000) against PostgreSQL {@code COPY} of the same kind of rows into scratch copies of the hub's
 * table ({@code --copy-rows}, default 300,000), in one run. The part of {@code baselines} that
 * concerns storage, to run alone while working on the writer.
 */
final class StorageScenario implements Scenario {

    private final Endpoints endpoints;
    private final Path root;
    private final int rows;
    private final int copyRows;

    StorageScenario(Endpoints endpoints, Map<String, String> options, Path root) {
        this.endpoints = endpoints;
        this.root = root;
        this.rows = Integer.parseInt(options.getOrDefault("rows", "150000"));
        this.copyRows = Integer.parseInt(options.getOrDefault("copy-rows", "300000"));
    }

    @Override
    public Result run() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("rows", rows);
        parameters.put("copy_rows", copyRows);
        parameters.put("text_bytes", "200-2000");
        Result result = new Result("storage", parameters);
        Map<String, Object> copy = BaselinesScenario.postgresCopy(endpoints.env(), copyRows);
        result.put("postgres_copy_rows_per_s", copy);
        result.put("storage_writer", BaselinesScenario.storageAgainstCopy(
                new StorageDrain(endpoints.env(), root, rows).measure(), copy));
        return result;
    }
}
