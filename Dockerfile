# achilles-cds container: built from Debian packages only, run as an unprivileged user.
FROM debian:12 AS build
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      build-essential cmake libboost-dev rapidjson-dev libcpprest-dev libssl-dev libsqlite3-dev libpq-dev \
      prometheus-cpp-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY fhir fhir
COPY cards cards
COPY audit audit
COPY population population
COPY hooks hooks
COPY docs docs
COPY tests/CMakeLists.txt tests/CMakeLists.txt
COPY bench/CMakeLists.txt bench/CMakeLists.txt
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DACHILLES_TESTS=OFF -DACHILLES_BENCH=OFF \
 && cmake --build build -j "$(nproc)"

FROM debian:12-slim
# cpprestsdk and OpenSSL for calls to the EHR's FHIR server; the CA bundle to verify its certificate; SQLite
# for the card log, kept in /var/lib/achilles-cds (the working directory: the settings' "data" folder).
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl \
      libcpprest2.10 libssl3 libsqlite3-0 libpq5 libprometheus-cpp-core1.0 ca-certificates \
 && rm -rf /var/lib/apt/lists/* && useradd --system --no-create-home achilles \
 && install -d -o achilles -g achilles /var/lib/achilles-cds
COPY --from=build /src/build/achilles-cds /usr/local/bin/achilles-cds
COPY config /etc/achilles-cds
USER achilles
WORKDIR /var/lib/achilles-cds
VOLUME /var/lib/achilles-cds
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/achilles-cds"]
CMD ["serve", "--config", "/etc/achilles-cds"]
