-- Each running gateway reports its open real-time connections every few seconds, so
-- GET /v1/admin/stats shows them per instance whichever instance answers. A row not refreshed
-- for a minute is an instance that is gone; rows older than a day are deleted by the reporters.
CREATE TABLE gateway_instances (
    instance_id  text        PRIMARY KEY,
    connections  integer     NOT NULL,
    started_at   timestamptz NOT NULL,
    reported_at  timestamptz NOT NULL
);
