# Skips: an unknown base entrypoint (nginx acts on its first argument), a SHELL instruction,
# continuation lines, ONBUILD, a Windows stage.
FROM nginx:1.27
CMD nginx -g daemon-off

FROM debian:12 AS shell
SHELL ["/bin/bash", "-c"]
CMD ./run

FROM debian:12 AS lines
CMD ./run \
    --flag
ONBUILD CMD ./run

FROM mcr.microsoft.com/windows/servercore:ltsc2022
CMD app.exe
