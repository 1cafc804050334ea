# syntax=docker/dockerfile:1.7
#
# One image recipe for the seven Chat4All Hub services; pick one with SERVICE:
#
#   docker build --build-arg SERVICE=storage-writer -t chat4all/storage-writer:0.1.0-SNAPSHOT .
#
# SERVICE is one of: api-gateway, message-router, channel-whatsapp, channel-instagram,
# storage-writer, indexer, consolidator. docker-compose.yml passes it for each service.
# The library modules (contracts, hub-autoconfigure, local-stack) are built through -am.

ARG JDK_IMAGE=eclipse-temurin:17.0.16_8-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:17.0.16_8-jre-noble

# ---------------------------------------------------------------------------------------------
# Build: compile the service and the modules it depends on, then split the jar into layers.
# ---------------------------------------------------------------------------------------------
FROM ${JDK_IMAGE} AS build
ARG SERVICE
# Must match <version> in pom.xml: the jar is $SERVICE/target/$SERVICE-$PROJECT_VERSION.jar.
ARG PROJECT_VERSION=0.1.0-SNAPSHOT
WORKDIR /workspace

# Maven refuses a reactor with a missing module, so every module listed in pom.xml is copied
# (keep this list in step with <modules>). Sources only: .dockerignore drops target/ and .git/.
COPY --chmod=755 mvnw ./
COPY pom.xml ./
COPY .mvn .mvn
COPY contracts contracts
COPY hub-autoconfigure hub-autoconfigure
COPY local-stack local-stack
COPY archive-format archive-format
COPY channel-core channel-core
COPY provider-simulator provider-simulator
COPY api-gateway api-gateway
COPY message-router message-router
COPY channel-whatsapp channel-whatsapp
COPY channel-instagram channel-instagram
COPY storage-writer storage-writer
COPY indexer indexer
COPY consolidator consolidator
COPY e2e-tests e2e-tests
COPY bench bench

# The Maven repository (and the Maven distribution mvnw fetches) live in a BuildKit cache, so
# rebuilds do not download the world again. "locked": compose builds the seven images in
# parallel and Maven's local repository is not safe for concurrent writers from separate JVMs.
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    set -eu; \
    case "${SERVICE:-}" in \
      api-gateway|message-router|channel-whatsapp|channel-instagram|storage-writer|indexer|consolidator) ;; \
      *) echo "SERVICE='${SERVICE:-}' is not a hub service; pass --build-arg SERVICE=<api-gateway|message-router|channel-whatsapp|channel-instagram|storage-writer|indexer|consolidator>" >&2; \
         exit 1 ;; \
    esac; \
    ./mvnw -B -ntp -pl "$SERVICE" -am -DskipTests package

RUN set -eu; \
    jar="$SERVICE/target/$SERVICE-$PROJECT_VERSION.jar"; \
    if [ ! -f "$jar" ]; then \
      echo "$jar was not built; is PROJECT_VERSION ($PROJECT_VERSION) the version in pom.xml?" >&2; \
      exit 1; \
    fi; \
    cp "$jar" app.jar; \
    java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

# ---------------------------------------------------------------------------------------------
# Runtime: a JRE, curl for the container healthcheck, and the layers (least often changed first).
# ---------------------------------------------------------------------------------------------
FROM ${JRE_IMAGE} AS runtime
ARG SERVICE

# curl is for the healthcheck in docker-compose.yml (curl -fsS .../actuator/health/readiness);
# the JRE image does not promise one.
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends curl; \
    rm -rf /var/lib/apt/lists/*; \
    groupadd --system --gid 10001 hub; \
    useradd --system --uid 10001 --gid hub --home-dir /app --no-create-home --shell /usr/sbin/nologin hub

LABEL org.opencontainers.image.title="chat4all-${SERVICE}" \
      org.opencontainers.image.description="Chat4All Hub ${SERVICE}"

WORKDIR /app
# Owned by root and read-only for the service user; the service writes only under /tmp.
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./

# Heap follows the container's memory limit; an OutOfMemoryError ends the JVM so the container
# restarts instead of limping on. Override JAVA_TOOL_OPTIONS to change either.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

USER 10001:10001
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
