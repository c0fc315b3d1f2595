# On an unknown base `apt install` -> `apt-get install` may keep the downloaded .debs: Unsafe,
# unless the RUN cleans /var/cache/apt/archives itself.
FROM example.com/custom:1
RUN apt update && apt install -y --no-install-recommends curl
RUN apt update && apt install -y --no-install-recommends wget && apt-get clean
RUN apt install -y --no-install-recommends git && rm -rf /var/cache/apt/archives/*
RUN apt remove -y foo+
