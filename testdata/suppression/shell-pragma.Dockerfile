# `# hadolint shell=powershell` (RULES.md §5) names the stage's base shell: the whole stage is
# non-POSIX, the RUN above the pragma too, as on a Windows base: its RUNs and shell-form CMD are
# left alone. Stages built on it (the final `FROM win`) inherit it until a SHELL instruction
# sets a POSIX shell; other stages stay POSIX (their RUNs merge).
FROM registry.example.com/windows-base:2022 AS win
RUN pip install flask
# hadolint shell=powershell
RUN pip install flask
CMD echo done

FROM debian:12 AS other
RUN echo a
RUN echo b

FROM win
RUN pip install flask
SHELL ["/bin/sh", "-c"]
RUN pip install requests
